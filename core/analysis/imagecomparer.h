// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imagecomparison.h"
#include "core/util/result.h"

namespace strata
{

class ImageStore;
class ScanControl;

/// Compares two images of any ImageStores (docs/analysis.md, "compare"): both root
/// filesystems as their layers leave them (FinalTree), then the content of the files whose
/// metadata agrees but whose providing layers differ (SHA-256 of the bytes, read only for those).
/// Runs on the calling thread; cancel through `control`.
class ImageComparer final
{
public:
    [[nodiscard]] static Result<ImageComparison> compare(const ImageStore &storeA,
        qsizetype imageA,
        const ImageStore &storeB,
        qsizetype imageB,
        ScanControl *control = nullptr);
};

} // namespace strata
