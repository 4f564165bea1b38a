// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/layerstream.h"

#include "core/fs/dirscanner.h"
#include "core/image/storelayer.h"
#include "core/layer/tarlayersource.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"

#include <QHash>

#include <algorithm>
#include <cerrno>

namespace strata
{

namespace
{

EntryType typeOf(mode_t mode)
{
    if (S_ISLNK(mode))
        return EntryType::Symlink;
    if (S_ISFIFO(mode))
        return EntryType::Fifo;
    if (S_ISSOCK(mode))
        return EntryType::Socket;
    if (S_ISCHR(mode))
        return EntryType::CharDevice;
    if (S_ISBLK(mode))
        return EntryType::BlockDevice;
    return EntryType::File;
}

struct DirWalk {
    const TarReader::Visitor &visit;
    ScanControl *control;
    QHash<QPair<quint64, quint64>, bool> linked; // (dev, ino) of hard links already written

    Status walk(DirScanner &dir, const QByteArray &prefix)
    {
        if (control && control->isCancelled())
            return Error {ECANCELED, QStringLiteral("cancelled")};
        if (!dir.readAll())
            return Error::fromErrno(dir.readError(), decodeFileName(prefix));
        std::vector<std::string_view> names;
        for (const auto &e : dir.entries())
            names.push_back(e.name);
        std::sort(names.begin(), names.end());
        for (std::string_view name : names) {
            Status s = entry(dir, prefix, name);
            if (!s)
                return s;
        }
        return {};
    }

    Status entry(DirScanner &dir, const QByteArray &prefix, std::string_view name)
    {
        struct stat st {
        };
        const QByteArray path = prefix + QByteArray(name.data(), qsizetype(name.size()));
        if (!dir.statEntry(name, &st))
            return Error::fromErrno(errno, decodeFileName(path));
        if (control)
            control->addEntries(1);
        TarEntry e;
        e.mode = st.st_mode & 07777;
        e.uid = st.st_uid;
        e.gid = st.st_gid;
        e.mtime = st.st_mtime;
        if (DirScanner::isWhiteout(st)) {
            e.path = prefix + ".wh." + QByteArray(name.data(), qsizetype(name.size()));
            visit(e);
            return {};
        }
        e.path = path;
        if (S_ISDIR(st.st_mode)) {
            e.type = EntryType::Directory;
            visit(e);
            auto child = DirScanner::openChild(dir.fd(), name);
            if (!child)
                return child.error();
            if (child->dirXattrs(XattrNamespace::Trusted).has(OverlayXattrs::OpaqueY)
                || child->dirXattrs(XattrNamespace::User).has(OverlayXattrs::OpaqueY)) {
                TarEntry opq = e;
                opq.type = EntryType::File;
                opq.path = path + "/.wh..wh..opq";
                visit(opq);
            }
            return walk(*child, path + '/');
        }
        e.type = typeOf(st.st_mode);
        if (S_ISLNK(st.st_mode))
            e.linkTarget = dir.readLink(name);
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
            e.rdev = st.st_rdev;
        if (S_ISREG(st.st_mode)) {
            e.size = st.st_size;
            // A tar holds a hard link's data once, at its first name.
            if (st.st_nlink > 1) {
                const QPair<quint64, quint64> key {quint64(st.st_dev), quint64(st.st_ino)};
                if (linked.contains(key)) {
                    e.hardlink = true;
                    e.size = 0;
                }
                linked.insert(key, true);
            }
        }
        visit(e);
        return {};
    }
};

} // namespace

Status LayerStream::read(const StoreLayer &layer, const TarReader::Visitor &visit, ScanControl *control)
{
    if (const auto *tar = dynamic_cast<const TarLayerSource *>(layer.source.get())) {
        TarReader::Info info;
        return tar->stream(visit, info, control);
    }
    if (layer.source && layer.source->directory().isEmpty())
        return Error {EINVAL, QStringLiteral("%1: a layer source that is no tar").arg(layer.name)};
    return readDir(layer.diffDir, visit, control);
}

Status LayerStream::readDir(const QString &dir, const TarReader::Visitor &visit, ScanControl *control)
{
    auto root = DirScanner::openRoot(encodeFileName(dir));
    if (!root)
        return root.error();
    DirWalk walk {visit, control, {}};
    return walk.walk(*root, QByteArray());
}

} // namespace strata
