// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/uppertar.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// `strata image commit`: a stack made by `strata image extract` saved back as an image. The
/// overlay's upper becomes a new top layer (UpperTar), and FILE is a `docker load`-able archive
/// (`docker save` form: manifest.json, the config, one <n>/layer.tar per layer) with the
/// image's original layer blobs, read from the archive it came from (DIR/image.json names it),
/// the new layer, and the config with its diff ID and a history entry "strata commit".
class ImageCommitter final
{
public:
    static inline const QString SourceFileName = QStringLiteral("image.json");

    struct Committed {
        QString out;
        QString imageId; ///< the new config's digest: what `docker load` prints
        QString diffId; ///< the new layer's
        qint64 layerSize = 0;
        UpperTar::Summary top; ///< what the new layer holds (its warnings too)
        int layers = 0;
        QString tag;
    };

    /// What extract writes beside the workspace: where the image came from.
    [[nodiscard]] static QByteArray sourceJson(const QString &archive, const QString &imageId, const QString &ref);
    [[nodiscard]] static Result<Committed> commit(
        const QString &workspace, const QString &overlay, const QString &out, const QString &tag);
};

} // namespace strata
