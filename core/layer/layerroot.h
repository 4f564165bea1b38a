// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/layersource.h"

#include <QString>

#include <memory>

namespace strata
{

/// The root of one layer as a LayerDir, whatever holds it: a directory on disk (`dir`) or,
/// when `source` is set, a layer tar read into memory. What find, grep and explain walk, so
/// that they read archives and layer directories by one code path.
class LayerRoot final
{
public:
    /// `files` (tar layers only) sees every member with its data while the tar is read.
    [[nodiscard]] static Result<LayerSource::Loaded> open(const QString &dir,
        const std::shared_ptr<const LayerSource> &source,
        ScanControl *control = nullptr,
        const LayerSource::FileVisitor &files = {});
};

} // namespace strata
