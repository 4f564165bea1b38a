// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/archive/archivefiles.h"
#include "core/image/archive/archiveimage.h"
#include "core/image/imagestore.h"
#include "core/layer/tarreader.h"

#include <QJsonObject>
#include <QSet>

#include <memory>
#include <optional>

namespace strata
{

class ByteStream;
class ScanControl;

/// An image archive as an ImageStore (docs/docker-storage.md §10): a `docker save` (legacy
/// ≤24: manifest.json; ≥25: an OCI layout with manifest.json too), an OCI layout directory or
/// an `oci-archive` tar, told apart by what is inside, not by the name. index.json is read
/// first (nested indexes and manifest lists followed, each once), then manifest.json. Layer
/// blobs stay in the archive: each layer's LayerSource streams its tar when a merged view
/// needs it. Everything odd (missing blobs, digests that do not match, media types that
/// disagree with the bytes) is a problem; only an archive with no image at all fails.
class ArchiveStore final : public ImageStore
{
public:
    /// LayerTar: a single layer tar (no index.json, no manifest.json), read as an image of one
    /// layer without config or history, and said so in problems().
    enum class Format { DockerSave, DockerSaveOci, OciArchive, OciLayout, LayerTar };

    [[nodiscard]] static Result<std::shared_ptr<const ArchiveStore>> open(const QString &path);
    // Its layers' sources read through m_files: the store stays where it was opened.
    ArchiveStore(const ArchiveStore &) = delete;
    ArchiveStore &operator=(const ArchiveStore &) = delete;

    /// docker-save, docker-save-oci, oci-archive, oci-layout, layer-tar.
    [[nodiscard]] static QString formatName(Format format);
    [[nodiscard]] Format format() const { return m_format; }
    [[nodiscard]] const ArchiveImage &archiveImage(qsizetype i) const { return m_images.at(i); }
    [[nodiscard]] const ArchiveFiles &files() const { return m_files; }
    /// A layer's blob as stored (compressed or not), whatever holds it: a member of the
    /// archive, or the whole file of a single layer tar.
    [[nodiscard]] Result<std::unique_ptr<ByteStream>> layerStream(const ArchiveLayer &layer) const;
    /// The image's config as its archive has it; for a single layer tar, one made for it
    /// (rootfs, this host's platform, no history).
    [[nodiscard]] Result<QByteArray> config(qsizetype image) const;

    /// The image `ref` names (a tag, name, config or manifest digest or ID prefix, a
    /// `name@sha256:DIGEST` reference, or a platform "os/arch"); without a ref: the only image, or the one for this
    /// host's platform when they are one image for several platforms.
    [[nodiscard]] Result<qsizetype> select(const QString &ref) const;
    /// "linux/amd64": what this machine runs.
    [[nodiscard]] static QString hostPlatform();

    /// Reads every layer of `image` (in parallel) and checks its digests: per layer, what the
    /// stream was and what does not match.
    struct LayerCheck {
        TarReader::Info info;
        QStringList problems;
    };
    [[nodiscard]] QVector<LayerCheck> verify(qsizetype image, ScanControl *control = nullptr) const;

    [[nodiscard]] QString kindName() const override { return QStringLiteral("archive"); }
    [[nodiscard]] const QString &root() const override { return m_files.path(); }
    [[nodiscard]] const StoreProblems &problems() const override { return m_problems; }
    [[nodiscard]] MergeOptions mergeOptions() const override { return {}; }
    [[nodiscard]] qsizetype imageCount() const override { return m_images.size(); }
    [[nodiscard]] const StoreImage &imageAt(qsizetype i) const override { return m_images.at(i); }
    [[nodiscard]] const StoreImage *imageById(const QString &id) const override;
    [[nodiscard]] Result<qsizetype> imageIndex(const QString &ref) const override { return select(ref); }
    [[nodiscard]] qsizetype imageLayerCount(qsizetype image) const override { return m_images.at(image).layers.size(); }
    [[nodiscard]] const StoreLayer &imageLayerAt(qsizetype image, qsizetype layer) const override
    {
        return m_images.at(image).layers.at(layer);
    }
    [[nodiscard]] qsizetype containerCount() const override { return 0; }
    [[nodiscard]] const StoreContainer &containerAt(qsizetype i) const override;
    [[nodiscard]] Result<qsizetype> containerIndex(const QString &ref) const override;
    [[nodiscard]] Result<Stack> imageStack(qsizetype image) const override;
    [[nodiscard]] Result<Stack> containerStack(qsizetype container, bool withUpper) const override;
    [[nodiscard]] qsizetype storedLayerCount() const override;
    [[nodiscard]] QStringList imageIdsUsing(const QString &cacheId) const override;
    /// Every layer tar once (images in order, each bottom first), read in place by its source.
    [[nodiscard]] QVector<StoreDir> searchDirs() const override;

private:
    struct Descriptor {
        QString mediaType;
        QString digest;
        qint64 size = -1;
        QString ref;
        QString platform;
    };

    explicit ArchiveStore(ArchiveFiles files) : m_files(std::move(files)) { }

    void readIndex();
    void walkIndex(const QJsonObject &index, const QString &where, const QString &ref, int depth);
    void readManifestBlob(const Descriptor &d, const QString &where, int depth);
    void addOciImage(const QJsonObject &manifest, const Descriptor &d, const QString &where);
    void readManifestJson();
    void readBareLayer();
    void addDockerImage(const QJsonObject &entry, const QString &where);
    /// Reads the config into `image`; false when it cannot be read at all.
    bool readConfig(ArchiveImage &image, const QString &member, const QString &where);
    void finishLayers(ArchiveImage &image, const QString &where);
    void problem(const QString &path, const QString &message) { m_problems.push_back(StoreProblem {path, message}); }
    [[nodiscard]] std::optional<Descriptor> descriptor(const QJsonValue &v, const QString &where);
    [[nodiscard]] static QString blobPath(const QString &digest);
    [[nodiscard]] bool matches(const ArchiveImage &image, const QString &ref) const;
    [[nodiscard]] static bool matchesDigestRef(const ArchiveImage &image, const QString &name, const QString &digest);

    ArchiveFiles m_files;
    Format m_format = Format::DockerSave;
    QVector<ArchiveImage> m_images;
    StoreProblems m_problems;
    QSet<QString> m_visited; // manifest and index digests already read
};

} // namespace strata
