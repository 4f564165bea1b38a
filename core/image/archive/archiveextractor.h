// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"
#include "core/layer/layerextractor.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace strata
{

class ArchiveStore;
class ScanControl;

/// `strata image extract`: an image of an archive unpacked as an overlay stack. DIR gets one
/// directory per layer in overlay's on-disk form (layers/0 at the bottom, LayerExtractor), an
/// empty upper, work and merged, and a stratascope.json (one overlay, lower = the layers top
/// first), so the app opens it as a stack and `strata mount` mounts it. As root the overlay
/// xattrs are trusted.*; otherwise user.* with the `userxattr` option. Layers are extracted
/// in parallel, each streamed from the archive and checked against its diff ID and digest.
class ArchiveExtractor final
{
public:
    struct Options {
        XattrNamespace xattrs = XattrNamespace::Trusted;
        bool privileged = false;
        bool walkOnly = false; ///< tests: resolve as without openat2
    };
    struct Layer {
        qsizetype index = 0;
        QString diffId;
        QString dir;
        LayerExtractor::Summary summary;
        QStringList problems; ///< digests that do not match
    };
    struct Extracted {
        QString dir;
        QString workspace; ///< DIR/stratascope.json
        QString overlay; ///< its overlay's name
        XattrNamespace xattrs = XattrNamespace::Trusted;
        QVector<Layer> layers; ///< bottom first
        [[nodiscard]] QStringList refused() const;
        [[nodiscard]] QStringList warnings() const;
        [[nodiscard]] qint64 entries() const;
    };

    /// What this process can do: root writes trusted.* and keeps owners.
    [[nodiscard]] static Options defaultOptions();
    /// DIR must not exist or be empty. Fails when a layer cannot be read or written (DIR is
    /// then left as far as it got); refused members are in the result, not failures.
    [[nodiscard]] static Result<Extracted> extract(const ArchiveStore &store,
        qsizetype image,
        const QString &dir,
        const Options &options,
        ScanControl *control = nullptr);
};

} // namespace strata
