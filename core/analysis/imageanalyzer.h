// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imageanalysis.h"
#include "core/util/result.h"

namespace strata
{

class ImageStore;
class ScanControl;
struct StoreLayer;

/// Analyses one image of any ImageStore by streaming its layers (LayerStream), bottom first:
/// dive's figures, the opaque-aware ones (a second pass, only when the image has opaque
/// directories), and what each layer changed. Runs on the calling thread; cancel through
/// `control`.
class ImageAnalyzer final
{
public:
    /// `changes`: each layer's changes as well (LayerAnalysis::changes).
    [[nodiscard]] static Result<ImageAnalysis> analyze(
        const ImageStore &store, qsizetype image, ScanControl *control = nullptr, bool changes = false);
    /// dive's layer command: created_by without one leading "/bin/sh -c ", "(missing)" when the
    /// layer has no history entry.
    [[nodiscard]] static QString diveCommand(const StoreLayer &layer);
};

} // namespace strata
