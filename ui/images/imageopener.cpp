// SPDX-License-Identifier: GPL-2.0-or-later
#include "imageopener.h"

#include "core/image/archive/archiveextractor.h"
#include "core/image/archive/archivestore.h"
#include "core/image/archive/imagecommitter.h"

#include "core/stack/workspace.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QRegularExpression>
#include <QStandardPaths>

namespace strata
{

namespace
{
// A folder name from the archive's: "alpine.tar.gz" → "alpine", then "-2", "-3"… when taken.
QString freshFolder(const QString &archive)
{
    QString base = QFileInfo(archive).fileName();
    for (const char *ext : {".gz", ".zst", ".xz", ".tgz", ".tar"}) {
        if (base.endsWith(QLatin1String(ext)) && base.size() > int(qstrlen(ext)))
            base.chop(int(qstrlen(ext)));
    }
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    const QDir parent(ImageOpener::folder());
    QString name = base;
    for (int n = 2; parent.exists(name); ++n)
        name = QStringLiteral("%1-%2").arg(base).arg(n);
    return parent.filePath(name);
}
} // namespace

ImageOpener::ImageOpener(QWidget *window) : QObject(window), m_window(window)
{
    m_poll.setInterval(200);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (const ScanControl *c = m_job.control())
            Q_EMIT progress(c->entries());
    });
}

QString ImageOpener::folder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
        .filePath(QStringLiteral("stratascope/images"));
}

bool ImageOpener::isWorkspace(const QString &path)
{
    const QFileInfo info(path);
    return (info.isFile() && info.suffix() == QLatin1String("json"))
        || (info.isDir() && QFileInfo::exists(QDir(path).filePath(Workspace::DefaultFileName)));
}

QString ImageOpener::askImage(const QStringList &refs) const
{
    if (QApplication::platformName() == QLatin1String("offscreen"))
        return refs.first(); // no one to ask: the first, as `docker load` lists them
    bool ok = false;
    const QString ref = QInputDialog::getItem(
        m_window, tr("Open Image"), tr("The archive holds several images:"), refs, 0, false, &ok);
    return ok ? ref : QString();
}

bool ImageOpener::looksLikeImage(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QFileInfo::exists(QDir(path).filePath(QStringLiteral("oci-layout")))
            || QFileInfo::exists(QDir(path).filePath(QStringLiteral("manifest.json")));
    return info.isFile() && info.fileName() != QLatin1String("stratascope.json");
}

bool ImageOpener::cameFromImage(const QString &workspaceDir)
{
    return QFileInfo::exists(QDir(workspaceDir).filePath(ImageCommitter::SourceFileName));
}

void ImageOpener::run(std::function<Outcome(ScanControl &)> work, std::function<void(const Outcome &)> done)
{
    m_poll.start();
    m_job.start(this, std::move(work), [this, done = std::move(done)](const Outcome &o) {
        m_poll.stop();
        if (!o.error.isEmpty())
            Q_EMIT failed(o.error);
        else
            done(o);
    });
}

void ImageOpener::extract(const QString &archive, const QString &ref)
{
    run(
        [archive, ref](ScanControl &control) {
            Outcome o;
            const auto store = ArchiveStore::open(archive);
            if (!store.ok()) {
                o.error = store.error().message;
                return o;
            }
            const auto image = (*store)->select(ref);
            if (!image.ok()) {
                if (ref.isEmpty() && image.error().code == EINVAL) {
                    for (qsizetype i = 0; i < (*store)->imageCount(); ++i) {
                        const QString r = (*store)->archiveImage(i).ref;
                        if (!r.isEmpty() && !o.choices.contains(r))
                            o.choices << r;
                    }
                }
                if (o.choices.isEmpty())
                    o.error = image.error().message;
                return o;
            }
            if (!QDir().mkpath(ImageOpener::folder())) {
                o.error = tr("Cannot create %1").arg(ImageOpener::folder());
                return o;
            }
            const QString dir = freshFolder(archive);
            const auto done
                = ArchiveExtractor::extract(**store, *image, dir, ArchiveExtractor::defaultOptions(), &control);
            if (!done.ok()) {
                o.error = done.error().message;
                return o;
            }
            if (control.isCancelled()) {
                o.error = tr("Extraction cancelled: %1 is left as far as it got").arg(dir);
                return o;
            }
            o.path = done->workspace;
            o.summary = tr("%1 extracted into %2: %n layer(s), %L3 entries", nullptr, int(done->layers.size()))
                            .arg(QFileInfo(archive).fileName(), dir)
                            .arg(done->entries());
            if (const QStringList refused = done->refused(); !refused.isEmpty())
                o.summary += tr("; refused (unsafe): %1").arg(refused.join(QStringLiteral(", ")));
            return o;
        },
        [this, archive](const Outcome &o) {
            if (o.choices.isEmpty()) {
                Q_EMIT extracted(o.path, o.summary);
            } else if (const QString ref = askImage(o.choices); !ref.isEmpty()) {
                extract(archive, ref);
            } else {
                Q_EMIT failed(
                    tr("No image opened: none of the %n in the archive was chosen", nullptr, int(o.choices.size())));
            }
        });
}

void ImageOpener::commit(const QString &workspaceDir, const QString &overlay, const QString &out, const QString &tag)
{
    run(
        [workspaceDir, overlay, out, tag](ScanControl &) {
            Outcome o;
            const auto done = ImageCommitter::commit(workspaceDir, overlay, out, tag);
            if (!done.ok()) {
                o.error = done.error().message;
                return o;
            }
            o.path = done->out;
            o.summary
                = tr("Saved %1: %2 layers, the new one with %L3 entries (%L4 whiteouts); `docker load -i %1` loads it")
                      .arg(done->out)
                      .arg(done->layers)
                      .arg(done->top.entries)
                      .arg(done->top.whiteouts);
            return o;
        },
        [this](const Outcome &o) { Q_EMIT committed(o.path, o.summary); });
}

} // namespace strata
