// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QHash>
#include <QSet>

namespace strata
{

class ScanControl;
struct StoreLayer;

/// The SHA-256 of some files of one layer, as their bytes read (holes as zeros): from the
/// layer's tar when it has one (one pass over it), else from its directory.
class ContentHasher final
{
public:
    /// `members` are normalised names ("a/b"); a name the layer lacks gets no hash.
    [[nodiscard]] static Result<QHash<QByteArray, QByteArray>> hash(
        const StoreLayer &layer, const QSet<QByteArray> &members, ScanControl *control = nullptr);
};

} // namespace strata
