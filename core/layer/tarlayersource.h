// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/layersource.h"
#include "core/layer/tarreader.h"

#include <QString>

#include <functional>
#include <memory>

namespace strata
{

class ByteStream;
class TarLayer;

/// A layer tar as a merge layer: read (in memory, nothing extracted) into a TarLayer when a
/// merge starts, checked on the way against the digests its image names.
class TarLayerSource final : public LayerSource
{
public:
    using Opener = std::function<Result<std::unique_ptr<ByteStream>>()>;
    /// What the image says the layer is; empty fields are not checked.
    struct Expected {
        QString diffId; ///< the config's rootfs.diff_ids entry: the uncompressed tar
        QString digest; ///< the manifest's descriptor: the blob as stored
        qint64 size = -1; ///< the descriptor's size
    };

    TarLayerSource(QString name, Opener opener, Expected expected);

    [[nodiscard]] Result<Loaded> load(ScanControl *control) const override;
    [[nodiscard]] Result<Loaded> loadWithData(ScanControl *control, const FileVisitor &files) const override;
    /// The tree read from the layer, with what the stream turned out to be.
    struct Read {
        std::shared_ptr<const TarLayer> layer;
        TarReader::Info info;
        QStringList warnings;
    };
    /// `files`, when set, sees every member with its data on the way.
    [[nodiscard]] Result<Read> read(ScanControl *control, const FileVisitor &files = {}) const;
    /// The layer's members as they are, one by one, nothing kept (what the analysis reads).
    [[nodiscard]] Status stream(const TarReader::Visitor &visit, TarReader::Info &info, ScanControl *control) const;
    /// The same, with each member's data at hand (what `strata compare` hashes).
    [[nodiscard]] Status streamWithData(
        const TarReader::DataVisitor &visit, TarReader::Info &info, ScanControl *control) const;
    /// The digest checks alone, without the tree (what `strata image layers` verifies).
    [[nodiscard]] static QStringList check(const TarReader::Info &info, const Expected &expected);

private:
    QString m_name;
    Opener m_opener;
    Expected m_expected;
};

} // namespace strata
