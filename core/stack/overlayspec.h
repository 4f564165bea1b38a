// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayoptions.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// One overlay of a workspace. Paths are absolute (the file stores them relative to itself).
struct OverlaySpec {
    QString name;
    QStringList lower; ///< top layer first, like lowerdir=a:b:c
    /// Data-only lower layers, after the regular ones (lowerdir=a:b::d1::d2, datadir+): not in
    /// the merged namespace, only the data of metacopy files whose redirect leads into them.
    QStringList dataLower;
    QString upper; ///< empty: a read-only overlay
    QString work;
    QString mountpoint;
    OverlayOptions options;

    [[nodiscard]] bool hasUpper() const { return !upper.isEmpty(); }
};

} // namespace strata
