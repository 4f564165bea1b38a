// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/pathexplanation.h"
#include "core/util/result.h"

#include <QString>

namespace strata
{

class ImageStore;
class ScanControl;

/// `strata docker explain REF PATH`, `strata image explain PATH ARCHIVE`: the path in a
/// container's (or an image's) merged view, layer by layer, from the layers of the store
/// (directories, or layer tars read in place) and the kernel's lookup rules (MergedTree with
/// the store's options).
class PathExplainer final
{
public:
    /// `ref` names a container (ID, name, prefix) or, failing that, an image.
    [[nodiscard]] static Result<PathExplanation> explain(
        const ImageStore &store, const QString &ref, const QString &path, ScanControl *control = nullptr);
    /// The same for the image at `image` (an index of the store).
    [[nodiscard]] static Result<PathExplanation> explainImage(
        const ImageStore &store, qsizetype image, const QString &path, ScanControl *control = nullptr);

private:
    class Explainer;
    [[nodiscard]] static Result<PathExplanation> finish(Explainer &e, ScanControl *control);
};

} // namespace strata
