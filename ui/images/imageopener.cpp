// SPDX-License-Identifier: GPL-2.0-or-later
#include "imageopener.h"

#include "core/image/archive/archiveextractor.h"
#include "core/image/archive/archivestore.h"
#include "core/image/archive/imagecommitter.h"

#include "core/fs/treecopy.h"
#include "core/stack/workspace.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFileInfo>
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

// Removes `dir` and all below it (an image's directories may be closed to their owner).
bool removeTree(const QString &dir)
{
    if (!QFileInfo::exists(dir))
        return true;
    return TreeCopy::clearContents(encodeFileName(dir)).ok() && QDir().rmdir(dir);
}
} // namespace

ImageOpener::ImageOpener(QObject *parent) : QObject(parent)
{
    m_poll.setInterval(200);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (const ScanControl *c = m_job.control(); c && c->entries() > 0)
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
        // Cancelled when the work was over: a read is dropped, an extracted folder removed.
        const bool late = o.error.isEmpty() && (o.store || !o.folder.isEmpty()) && m_job.control()->isCancelled();
        if (late && !o.folder.isEmpty() && !removeTree(o.folder))
            Q_EMIT failed(tr("Cancelled; %1 could not be removed whole").arg(o.folder));
        else if (late)
            Q_EMIT failed(tr("Cancelled: nothing was kept"));
        else if (!o.error.isEmpty())
            Q_EMIT failed(o.error);
        else
            done(o);
    });
}

void ImageOpener::pick(Outcome &o, const QString &ref)
{
    const auto image = o.store->select(ref);
    if (image.ok()) {
        o.image = *image;
        return;
    }
    // Several images and none named: the first, as `docker load` lists them; the panel offers
    // the others (no dialog: a script or a drop never waits on a question).
    for (qsizetype i = 0; ref.isEmpty() && image.error().code == EINVAL && i < o.store->imageCount(); ++i) {
        if (!o.store->archiveImage(i).ref.isEmpty()) {
            o.image = i;
            return;
        }
    }
    o.error = image.error().message;
}

void ImageOpener::read(const QString &archive, const QString &ref)
{
    run(
        [archive, ref](ScanControl &control) {
            Outcome o;
            auto store = ArchiveStore::open(archive);
            if (control.isCancelled())
                o.error = tr("Reading %1 cancelled").arg(QFileInfo(archive).fileName());
            else if (!store.ok())
                o.error = store.error().message;
            else
                o.store = std::move(*store);
            if (o.store)
                pick(o, ref);
            return o;
        },
        [this](const Outcome &o) { Q_EMIT opened(o.store, o.image); });
}

void ImageOpener::extract(std::shared_ptr<const ArchiveStore> store, qsizetype image)
{
    run(
        [store = std::move(store), image](ScanControl &control) {
            Outcome o;
            if (!QDir().mkpath(ImageOpener::folder())) {
                o.error = tr("Cannot create %1").arg(ImageOpener::folder());
                return o;
            }
            const QString archive = store->root();
            const QString dir = freshFolder(archive);
            const auto done
                = ArchiveExtractor::extract(*store, image, dir, ArchiveExtractor::defaultOptions(), &control);
            if (control.isCancelled() || !done.ok()) {
                // Half an image is no stack: what was written goes.
                o.error = control.isCancelled() ? tr("Extraction cancelled") : done.error().message;
                if (!removeTree(dir))
                    o.error += tr("; %1 could not be removed whole").arg(dir);
                return o;
            }
            o.path = done->workspace;
            o.folder = dir;
            o.summary = tr("%1 extracted into %2: %n layer(s), %L3 entries", nullptr, int(done->layers.size()))
                            .arg(QFileInfo(archive).fileName(), dir)
                            .arg(done->entries());
            if (const QStringList refused = done->refused(); !refused.isEmpty())
                o.summary += tr("; refused (unsafe): %1").arg(refused.join(QStringLiteral(", ")));
            return o;
        },
        [this](const Outcome &o) { Q_EMIT extracted(o.path, o.summary); });
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
