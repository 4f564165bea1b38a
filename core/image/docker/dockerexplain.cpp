// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerexplain.h"

#include "core/image/docker/dockerhost.h"
#include "core/fs/dirscanner.h"
#include "core/fs/overlayxattrs.h"
#include "core/merge/mergedtree.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{

// The entry at `rel` inside the layer directory `root`, looked up one component at a time
// without following any symbolic link (a layer's /bin may point anywhere on the host).
struct LayerEntry {
    bool present = false;
    struct stat st {
    };
    QByteArray target;
    bool opaque = false;
};

LayerEntry lookup(const QString &root, const QByteArray &rel)
{
    LayerEntry e;
    int fd = ::open(QFile::encodeName(root).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return e;
    const QList<QByteArray> parts = rel.split('/');
    QList<QByteArray> comps;
    for (const QByteArray &p : parts) {
        if (!p.isEmpty())
            comps << p;
    }
    if (comps.isEmpty()) {
        e.present = ::fstat(fd, &e.st) == 0;
        ::close(fd);
        return e;
    }
    for (qsizetype i = 0; i + 1 < comps.size(); ++i) {
        const int next = ::openat(fd, comps[i].constData(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        ::close(fd);
        if (next < 0)
            return e;
        fd = next;
    }
    const QByteArray &last = comps.last();
    if (::fstatat(fd, last.constData(), &e.st, AT_SYMLINK_NOFOLLOW) == 0) {
        e.present = true;
        if (S_ISLNK(e.st.st_mode)) {
            char buf[4096];
            const ssize_t n = ::readlinkat(fd, last.constData(), buf, sizeof buf);
            if (n > 0)
                e.target = QByteArray(buf, n);
        } else if (S_ISDIR(e.st.st_mode)) {
            // O_PATH descriptors cannot read xattrs; open the directory itself.
            const int dfd = ::openat(fd, last.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (dfd >= 0) {
                e.opaque = OverlayXattrs::readFd(dfd, XattrNamespace::Trusted).has(OverlayXattrs::OpaqueY);
                ::close(dfd);
            }
        }
    }
    ::close(fd);
    return e;
}

QString typeWord(EntryType t)
{
    switch (t) {
    case EntryType::File:
        return QStringLiteral("file");
    case EntryType::Directory:
        return QStringLiteral("directory");
    case EntryType::Symlink:
        return QStringLiteral("symbolic link");
    case EntryType::Whiteout:
        return QStringLiteral("whiteout");
    default:
        return entryTypeName(t);
    }
}

QString statusOf(MergedTree::ShadowReason r)
{
    return QString::fromLatin1(MergedTree::reasonName(r));
}

} // namespace

Result<PathExplanation> DockerExplain::explain(
    const DockerHost &host, const QString &ref, const QString &pathArg, ScanControl *control)
{
    PathExplanation x;
    QString p = QDir::cleanPath(QLatin1Char('/') + pathArg);
    x.path = QFile::encodeName(p);

    MergeLayers stack;
    QVector<PathExplanation::Finding> findings;
    const DockerImage *image = nullptr;
    const DockerContainer *container = nullptr;
    if (auto c = host.findContainer(ref)) {
        container = *c;
        x.kind = QStringLiteral("container");
        x.id = container->id;
        x.name = container->displayName();
        x.mergedDir = container->mergedDir;
        auto layers = host.mergeLayers(*container);
        if (!layers)
            return layers.error();
        stack = *layers;
        image = host.imageById(container->imageId);
    } else if (auto i = host.findImage(ref)) {
        image = *i;
        x.kind = QStringLiteral("image");
        x.id = image->id;
        x.name = image->displayName();
        auto layers = host.mergeLayers(*image);
        if (!layers)
            return layers.error();
        stack = *layers;
    } else {
        return Error {ENOENT, QStringLiteral("no container or image named \"%1\"").arg(ref)};
    }

    // Label each directory of the stack with its role and, for image layers, the instruction.
    QHash<QString, DockerImageLayer> byDir;
    if (image) {
        for (const DockerImageLayer &l : host.imageLayers(*image))
            byDir.insert(l.diffDir, l);
    }
    for (qsizetype i = 0; i < stack.size(); ++i) {
        PathExplanation::Finding f;
        f.index = static_cast<int>(i);
        f.name = stack.at(i).name;
        f.dir = stack.at(i).path;
        f.cacheId = f.dir.section(QLatin1Char('/'), -2, -2);
        if (stack.at(i).role == LayerRole::Upper)
            f.role = QStringLiteral("upper");
        else if (container && f.dir == container->initDir)
            f.role = QStringLiteral("init");
        else
            f.role = QStringLiteral("layer");
        if (byDir.contains(f.dir)) {
            f.imageLayer = byDir.value(f.dir).index;
            f.createdBy = byDir.value(f.dir).createdBy;
        }
        const LayerEntry e = lookup(f.dir, x.path);
        f.present = e.present;
        if (e.present) {
            f.type = DirScanner::isWhiteout(e.st) ? EntryType::Whiteout : entryTypeFromMode(e.st.st_mode);
            f.size = e.st.st_size;
            f.mode = e.st.st_mode;
            f.target = e.target;
            f.opaque = e.opaque;
        }
        findings.push_back(f);
    }

    auto tree = MergedTree::build(stack, DockerHost::mountOptions(), control);
    if (!tree)
        return tree.error();
    x.warnings = tree->warnings();
    auto label = [&](int i) {
        const PathExplanation::Finding &f = findings.at(i);
        return f.createdBy.isEmpty() ? f.name : QStringLiteral("%1 (%2)").arg(f.name, f.createdBy);
    };

    const std::string_view pv(x.path.constData(), static_cast<size_t>(x.path.size()));
    const auto node = tree->find(pv);
    if (node) {
        const MergedNode &n = tree->node(*node);
        x.visible = n.isVisible();
        x.type = n.type;
        x.winner = n.layer;
        PathExplanation::Finding &w = findings[n.layer];
        if (x.visible) {
            w.status = QStringLiteral("provides");
            w.note = QStringLiteral("provides %1 (%2): this is the copy the %3 shows").arg(p, typeWord(n.type), x.kind);
        } else {
            w.status = QStringLiteral("deletes");
            w.note = QStringLiteral("deletes %1: a whiteout (character device 0/0) hides every copy below").arg(p);
        }
        for (const MergedTree::Shadow &s : tree->shadows(*node)) {
            PathExplanation::Finding &f = findings[s.layer];
            f.status = statusOf(s.reason);
            switch (s.reason) {
            case MergedTree::ShadowReason::Merged:
                f.note = QStringLiteral(
                    "its directory %1 is merged into the view: its entries show unless a layer above hides them")
                             .arg(p);
                break;
            case MergedTree::ShadowReason::Shadowed:
                f.note = QStringLiteral("has its own %1, hidden by the one in %2")
                             .arg(typeWord(s.type), findings.at(x.winner).name);
                break;
            case MergedTree::ShadowReason::HiddenByWhiteout:
                f.note = QStringLiteral("has a %1 here, deleted by the whiteout in %2")
                             .arg(typeWord(s.type), findings.at(x.winner).name);
                break;
            case MergedTree::ShadowReason::HiddenByOpaque:
                f.note = QStringLiteral(
                    "has a directory here, hidden because the directory is opaque (deleted and made again) above");
                break;
            case MergedTree::ShadowReason::DataSource:
                f.note = QStringLiteral("holds the data of the metadata-only copy above");
                break;
            }
        }
    }

    // Layers that have the path but that lookup never reached: something above hides a
    // directory on the way (a whiteout, an opaque directory, or a file in its place).
    for (PathExplanation::Finding &f : findings) {
        if (!f.status.isEmpty())
            continue;
        if (!f.present) {
            f.status = QStringLiteral("absent");
            continue;
        }
        f.status = QStringLiteral("not_reached");
        QByteArray anc = x.path;
        QString why;
        while (why.isEmpty()) {
            const qsizetype slash = anc.lastIndexOf('/');
            if (slash < 0)
                break;
            anc = slash == 0 ? QByteArray("/") : anc.left(slash);
            const auto a = tree->find(std::string_view(anc.constData(), static_cast<size_t>(anc.size())));
            if (!a) {
                if (anc == "/")
                    break;
                continue;
            }
            const MergedNode &an = tree->node(*a);
            const QString ap = QFile::decodeName(anc);
            if (!an.isVisible() && an.layer < f.index) {
                why = QStringLiteral("%1 is deleted (whiteout) in %2").arg(ap, findings.at(an.layer).name);
            } else if (an.isVisible() && !an.isDir() && an.layer < f.index) {
                why = QStringLiteral("%1 is a %2 in %3, so nothing below it shows")
                          .arg(ap, typeWord(an.type), findings.at(an.layer).name);
            } else if (const auto ol = tree->opaqueLayer(*a); ol && *ol < f.index) {
                why = QStringLiteral("%1 is opaque in %2 (deleted and made again), so it hides the layers below")
                          .arg(ap, findings.at(*ol).name);
            } else {
                for (const MergedTree::Shadow &s : tree->shadows(*a)) {
                    if (s.layer == f.index && s.reason != MergedTree::ShadowReason::Merged) {
                        why = QStringLiteral("%1 is hidden here (%2)").arg(ap, statusOf(s.reason));
                        break;
                    }
                }
            }
            if (anc == "/")
                break;
        }
        f.note = why.isEmpty() ? QStringLiteral("has the path, but lookup does not reach this layer")
                               : QStringLiteral("has the path, but %1").arg(why);
    }
    x.layers = findings;

    // The summary, in plain words.
    int copies = 0;
    for (const PathExplanation::Finding &f : findings)
        copies += f.present && f.type != EntryType::Whiteout ? 1 : 0;
    if (node && x.visible) {
        const PathExplanation::Finding &w = findings.at(x.winner);
        QString what = typeWord(x.type);
        if (x.type == EntryType::File)
            what += QStringLiteral(" of %1 bytes").arg(w.size);
        x.summary << QStringLiteral("%1 is a %2, seen from %3.").arg(p, what, label(x.winner));
        if (w.role == QLatin1String("upper"))
            x.summary << QStringLiteral("The container wrote it: its read-write layer has it.");
        else if (w.role == QLatin1String("init"))
            x.summary << QStringLiteral("Docker's init layer made it for the container (docker diff leaves it out).");
    } else if (node) {
        x.summary << QStringLiteral("%1 was deleted by %2.").arg(p, label(x.winner));
    } else {
        x.summary << QStringLiteral("%1 is not in the %2's view.").arg(p, x.kind);
    }
    if (copies > 1 || (copies == 1 && (!x.visible || x.winner < 0)))
        x.summary
            << QStringLiteral("%1 layer(s) have a copy of it; see each layer below for what hides what.").arg(copies);
    if (container) {
        x.summary << QStringLiteral("While the container runs, its files are at %1 on the host: root there can "
                                    "change them, whatever USER the container runs as (%2). This explorer only reads.")
                         .arg(container->mergedDir,
                             container->user.isEmpty() ? QStringLiteral("root") : container->user);
    }
    return x;
}

} // namespace strata
