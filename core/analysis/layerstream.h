// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/tarreader.h"
#include "core/util/status.h"

namespace strata
{

class ScanControl;
struct StoreLayer;

/// One image layer as the tar entries it is (or would be, for a directory of an overlay2
/// store: what `docker save` writes for it), streamed without keeping them: the analysis
/// reads every store's layers the same way.
class LayerStream final
{
public:
    /// Calls `visit` for every entry, in tar order. A directory layer is walked in name order
    /// (as moby's archiver walks it): whiteouts (0/0 devices) become `.wh.NAME`, opaque
    /// directories get `.wh..wh..opq`, the second name of a hard link has size 0.
    [[nodiscard]] static Status read(const StoreLayer &layer, const TarReader::Visitor &visit, ScanControl *control);
    /// The same for a directory of layer files.
    [[nodiscard]] static Status readDir(const QString &dir, const TarReader::Visitor &visit, ScanControl *control);
};

} // namespace strata
