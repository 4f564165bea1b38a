// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/common/backgroundjob.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace strata
{

/// File → Open Image… and File → Save as Image…: an image archive (docker save, OCI layout or
/// oci-archive) unpacked into an editable stack in the images folder, and a stack that came
/// from an image written back as a `docker load`-able archive. Both run off the GUI thread;
/// progress() ticks while they do and cancel() stops them.
class ImageOpener final : public QObject
{
    Q_OBJECT
public:
    /// `window`: where the question "which image?" is asked (an archive of several).
    explicit ImageOpener(QWidget *window);

    /// Unpacks the image `ref` names (empty: the only one, or this host's platform) into a new
    /// folder of folder(). An archive of several images asks the user which.
    void extract(const QString &archive, const QString &ref = {});
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
    void progress(quint64 entries);
    /// An extraction is done: the workspace to open, and what it found in words.
    void extracted(const QString &workspaceFile, const QString &summary);
    /// A commit is done: the archive written, in words.
    void committed(const QString &out, const QString &summary);
    void failed(const QString &message);

private:
    struct Outcome {
        QString error;
        QString path;
        QString summary;
        QStringList choices; // several images, none chosen
    };
    void run(std::function<Outcome(ScanControl &)> work, std::function<void(const Outcome &)> done);

    [[nodiscard]] QString askImage(const QStringList &refs) const;

    QWidget *m_window;
    BackgroundJob<Outcome> m_job;
    QTimer m_poll;
};

} // namespace strata
