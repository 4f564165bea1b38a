// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/common/backgroundjob.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace strata
{

class ArchiveStore;

/// File → Open Image…, Extract as Stack… and Save as Image…: an image archive (docker save,
/// OCI layout or oci-archive) read in place for a read-only look, one of its images unpacked
/// into an editable stack in the images folder, and a stack that came from an image written
/// back as a `docker load`-able archive. All run off the GUI thread, one at a time;
/// progress() ticks while they do and cancel() stops them.
class ImageOpener final : public QObject
{
    Q_OBJECT
public:
    explicit ImageOpener(QObject *parent = nullptr);

    /// Reads the archive's index, manifests and configs (nothing is unpacked or written) and
    /// picks the image `ref` names (empty: the only one, this host's platform, or the first of
    /// several: the Images & Containers panel lists them all). opened() tells.
    void read(const QString &archive, const QString &ref = {});
    /// Unpacks image `image` of `store` into a new folder of folder(); extracted() tells. A
    /// cancelled or failed extraction leaves no folder behind.
    void extract(std::shared_ptr<const ArchiveStore> store, qsizetype image);
    /// The stack's overlay `overlay` as a new top layer over the image it came from, to `out`.
    void commit(const QString &workspaceDir, const QString &overlay, const QString &out, const QString &tag = {});
    void cancel() { m_job.cancel(); }
    [[nodiscard]] bool isRunning() const { return m_job.isRunning(); }

    /// ~/.cache/stratascope/images: one folder per extracted image, never overwritten.
    [[nodiscard]] static QString folder();
    /// Whether `path` is a workspace: a .json file, or a directory holding stratascope.json.
    [[nodiscard]] static bool isWorkspace(const QString &path);
    /// Whether `path` is worth offering as an image (a file, or a directory with an OCI layout).
    [[nodiscard]] static bool looksLikeImage(const QString &path);
    /// Whether the stack in `workspaceDir` came from an image (Save as Image… can write it back).
    [[nodiscard]] static bool cameFromImage(const QString &workspaceDir);

Q_SIGNALS:
    /// Entries written so far (reading the archive's metadata has no count: it is not ticked).
    void progress(quint64 entries);
    /// An archive is read: its image `image` is the one to show.
    void opened(const std::shared_ptr<const strata::ArchiveStore> &store, qsizetype image);
    /// An extraction is done: the workspace to open, and what it found in words.
    void extracted(const QString &workspaceFile, const QString &summary);
    /// A commit is done: the archive written, in words.
    void committed(const QString &out, const QString &summary);
    void failed(const QString &message);

private:
    struct Outcome {
        QString error;
        QString path;
        QString folder; // an extraction's, removed when cancelled
        QString summary;
        std::shared_ptr<const ArchiveStore> store;
        qsizetype image = -1;
    };
    void run(std::function<Outcome(ScanControl &)> work, std::function<void(const Outcome &)> done);

    /// The image `ref` names into `o` (the first of several when it names none), or the error.
    static void pick(Outcome &o, const QString &ref);

    BackgroundJob<Outcome> m_job;
    QTimer m_poll;
};

} // namespace strata
