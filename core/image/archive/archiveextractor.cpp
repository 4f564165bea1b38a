// SPDX-License-Identifier: GPL-2.0-or-later
#include "archiveextractor.h"

#include "core/image/archive/archivestore.h"
#include "core/image/archive/imagecommitter.h"
#include "core/layer/bytestream.h"
#include "core/layer/tarlayersource.h"
#include "core/stack/workspace.h"
#include "core/util/filename.h"
#include "core/util/parallel.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace strata
{

namespace
{

constexpr int DirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr std::int64_t Reserve = 64 * 1024 * 1024; // left free on the disk, whatever the image says

// A closed-on-exit fd.
struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

// DIR made (with its parents) or found empty, and opened.
Result<int> openTarget(const QString &dir)
{
    const QByteArray path = encodeFileName(dir);
    if (!QDir().mkpath(dir))
        return Error {errno ? errno : EACCES, QStringLiteral("%1: cannot make the directory").arg(dir)};
    const int fd = ::open(path.constData(), DirFlags);
    if (fd < 0)
        return Error::fromErrno(errno, dir);
    if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        ::close(fd);
        return Error {EEXIST, QStringLiteral("%1: not empty (extract writes into a new or empty directory)").arg(dir)};
    }
    return fd;
}

Status makeDirs(int at, const QStringList &names, const QString &dir)
{
    for (const QString &n : names) {
        if (::mkdirat(at, n.toUtf8().constData(), 0755) != 0)
            return Error::fromErrno(errno, dir + QLatin1Char('/') + n);
    }
    return {};
}

std::int64_t freeBytes(int fd)
{
    struct statvfs vfs {
    };
    if (::fstatvfs(fd, &vfs) != 0)
        return std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int64_t>(vfs.f_bavail) * static_cast<std::int64_t>(vfs.f_frsize) - Reserve;
}

Status writeWorkspace(const ArchiveExtractor::Extracted &x, const ArchiveExtractor::Options &options)
{
    OverlaySpec spec;
    spec.name = x.overlay;
    for (auto it = x.layers.crbegin(); it != x.layers.crend(); ++it)
        spec.lower << it->dir;
    spec.upper = x.dir + QStringLiteral("/upper");
    spec.work = x.dir + QStringLiteral("/work");
    spec.mountpoint = x.dir + QStringLiteral("/merged");
    // As Docker's overlay2 mounts its layers: no index, no redirects, no metacopy.
    spec.options.index = QStringLiteral("off");
    spec.options.redirectDir = QStringLiteral("off");
    spec.options.metacopy = QStringLiteral("off");
    spec.options.userxattr = options.xattrs == XattrNamespace::User;
    Workspace ws;
    ws.setBaseDir(x.dir);
    ws.addOverlay(spec);
    return ws.save(x.workspace);
}

} // namespace

QStringList ArchiveExtractor::Extracted::refused() const
{
    QStringList out;
    for (const Layer &l : layers) {
        for (const QString &r : l.summary.refused)
            out << QStringLiteral("layer %1: %2").arg(l.index).arg(r);
    }
    return out;
}

QStringList ArchiveExtractor::Extracted::warnings() const
{
    QStringList out;
    for (const Layer &l : layers) {
        for (const QString &w : l.summary.warnings + l.problems)
            out << QStringLiteral("layer %1: %2").arg(l.index).arg(w);
    }
    return out;
}

qint64 ArchiveExtractor::Extracted::entries() const
{
    qint64 n = 0;
    for (const Layer &l : layers)
        n += l.summary.info.entries;
    return n;
}

ArchiveExtractor::Options ArchiveExtractor::defaultOptions()
{
    Options o;
    o.privileged = ::geteuid() == 0;
    o.xattrs = o.privileged ? XattrNamespace::Trusted : XattrNamespace::User;
    return o;
}

Result<ArchiveExtractor::Extracted> ArchiveExtractor::extract(
    const ArchiveStore &store, qsizetype image, const QString &dir, const Options &options, ScanControl *control)
{
    const ArchiveImage &img = store.archiveImage(image);
    Extracted x;
    x.dir = QDir(dir).absolutePath();
    x.workspace = x.dir + QLatin1Char('/') + Workspace::DefaultFileName;
    x.overlay = img.displayName();
    x.xattrs = options.xattrs;
    auto opened = openTarget(x.dir);
    if (!opened)
        return opened.error();
    Fd top {*opened};
    Fd layersDir;
    if (Status st = makeDirs(top.fd,
            {QStringLiteral("layers"), QStringLiteral("upper"), QStringLiteral("work"), QStringLiteral("merged")},
            x.dir);
        !st)
        return st.error();
    layersDir.fd = ::openat(top.fd, "layers", DirFlags);
    QStringList names;
    for (qsizetype k = 0; k < img.layers.size(); ++k) {
        names << QString::number(k);
        x.layers.push_back(
            Layer {k, img.layers.at(k).diffId, x.dir + QStringLiteral("/layers/") + names.last(), {}, {}});
    }
    if (Status st = makeDirs(layersDir.fd, names, x.dir + QStringLiteral("/layers")); !st)
        return st.error();
    std::atomic<std::int64_t> budget {freeBytes(top.fd)};
    QVector<QString> errors(img.layers.size());
    // Each worker writes its own element: no detaching inside the loop.
    Layer *done = x.layers.data();
    QString *failed = errors.data();
    parallelFor(static_cast<std::size_t>(img.layers.size()), parallelWorkers(), [&](std::size_t i, unsigned) {
        const auto k = static_cast<qsizetype>(i);
        const ArchiveLayer &l = img.layers.at(k);
        auto stream = store.layerStream(l);
        if (!stream) {
            failed[k] = stream.error().message;
            return;
        }
        const int fd = ::openat(layersDir.fd, names.at(k).toUtf8().constData(), DirFlags);
        if (fd < 0) {
            failed[k] = Error::fromErrno(errno, done[k].dir).message;
            return;
        }
        LayerExtractor extractor(
            fd, LayerExtractor::Options {options.xattrs, options.privileged, &budget, options.walkOnly});
        const Status st = extractor.extract(**stream, control);
        done[k].summary = extractor.summary();
        if (!st)
            failed[k] = st.error().message;
        else
            done[k].problems = TarLayerSource::check(extractor.summary().info, l.expected);
    });
    for (qsizetype k = 0; k < errors.size(); ++k) {
        if (!errors.at(k).isEmpty())
            return Error {EIO, QStringLiteral("layer %1 (%2): %3").arg(k).arg(img.layers.at(k).member, errors.at(k))};
    }
    if (Status st = writeWorkspace(x, options); !st)
        return st.error();
    // Where the image came from, for `strata image commit`.
    QSaveFile source(x.dir + QLatin1Char('/') + ImageCommitter::SourceFileName);
    if (!source.open(QIODevice::WriteOnly)
        || source.write(ImageCommitter::sourceJson(QFileInfo(store.root()).absoluteFilePath(), img.id, x.overlay)) < 0
        || !source.commit())
        return Error {EIO, QStringLiteral("%1: cannot write: %2").arg(source.fileName(), source.errorString())};
    return x;
}

} // namespace strata
