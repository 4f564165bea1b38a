// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/finaltree.h"

#include "core/analysis/layerstream.h"
#include "core/image/imagestore.h"
#include "core/image/storelayer.h"
#include "core/layer/layersource.h"
#include "core/util/filename.h"

#include <sys/stat.h>

#include <vector>

namespace strata
{

namespace
{

const QByteArray WhiteoutPrefix = QByteArrayLiteral(".wh.");
const QByteArray OpaqueName = QByteArrayLiteral(".wh..wh..opq");

QByteArray baseName(const QByteArray &path)
{
    return path.mid(path.lastIndexOf('/') + 1);
}

QByteArray dirName(const QByteArray &path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash < 0 ? QByteArray() : path.left(slash);
}

QByteArray joined(const QByteArray &dir, const QByteArray &name)
{
    return dir.isEmpty() ? name : dir + '/' + name;
}

} // namespace

QByteArray FinalTree::normalise(const QByteArray &name)
{
    QByteArray p = name;
    for (;;) {
        if (p.startsWith("./"))
            p.remove(0, 2);
        else if (p.startsWith('/'))
            p.remove(0, 1);
        else
            break;
    }
    while (p.endsWith('/'))
        p.chop(1);
    return p == "." ? QByteArray() : p;
}

Result<FinalTree> FinalTree::read(const ImageStore &store, qsizetype image, ScanControl *control)
{
    FinalTree tree;
    const qsizetype layers = store.imageLayerCount(image);
    for (qsizetype i = 0; i < layers; ++i) {
        const StoreLayer &layer = store.imageLayerAt(image, i);
        std::vector<TarEntry> members;
        const Status s = LayerStream::read(
            layer,
            [&members](const TarEntry &e) {
                members.push_back(e);
                return true;
            },
            control);
        if (!s) {
            if (s.error().code == ECANCELED)
                return s.error();
            tree.m_warnings << QStringLiteral("%1: %2").arg(layer.name, s.error().message);
        }
        tree.applyLayer(
            int(i), members, layer.source && layer.source->directory().isEmpty() ? QString() : layer.diffDir);
    }
    return tree;
}

void FinalTree::removeBelow(const QByteArray &path, bool self)
{
    if (self)
        m_entries.erase(path);
    if (path.isEmpty()) {
        m_entries.clear();
        return;
    }
    const QByteArray prefix = path + '/';
    auto it = m_entries.lower_bound(prefix);
    while (it != m_entries.end() && it->first.startsWith(prefix))
        it = m_entries.erase(it);
}

void FinalTree::addParents(const QByteArray &path, int layer)
{
    for (QByteArray dir = dirName(path); !dir.isEmpty(); dir = dirName(dir)) {
        auto [it, added] = m_entries.try_emplace(dir);
        if (!added) {
            // A file below a name that was no directory replaces it (the layer's tar was odd).
            if (it->second.type != EntryType::Directory)
                it->second = Entry {};
            else
                break;
        }
        it->second.type = EntryType::Directory;
        it->second.mode = 0755;
        it->second.layer = layer;
        it->second.implicit = true;
    }
}

void FinalTree::applyLayer(int layer, const std::vector<TarEntry> &members, const QString &diffDir)
{
    // What the layer deletes acts on the layers below, before any of its own members land.
    for (const TarEntry &e : members) {
        const QByteArray path = normalise(e.path);
        const QByteArray base = baseName(path);
        if (base == OpaqueName)
            removeBelow(dirName(path), false);
        else if (base.startsWith(WhiteoutPrefix))
            removeBelow(joined(dirName(path), base.mid(WhiteoutPrefix.size())), true);
    }
    for (const TarEntry &e : members) {
        const QByteArray path = normalise(e.path);
        const QByteArray base = baseName(path);
        if (path.isEmpty() || base.startsWith(WhiteoutPrefix))
            continue;
        Entry entry;
        entry.type = e.hardlink ? EntryType::File : e.type;
        entry.mode = e.mode;
        entry.uid = e.uid;
        entry.gid = e.gid;
        entry.size = e.size;
        entry.rdev = e.rdev;
        entry.layer = layer;
        entry.member = path;
        if (e.type == EntryType::Symlink)
            entry.linkTarget = e.linkTarget;
        if (e.hardlink && !e.linkTarget.isEmpty()) {
            entry.member = normalise(e.linkTarget);
            if (auto t = m_entries.find(entry.member); t != m_entries.end())
                entry.size = t->second.size;
        } else if (e.hardlink && !diffDir.isEmpty()) {
            // A directory layer's second name of a file: its size is the file's.
            struct stat st {
            };
            const QByteArray file = encodeFileName(diffDir) + '/' + path;
            if (::lstat(file.constData(), &st) == 0)
                entry.size = st.st_size;
        }
        if (entry.type != EntryType::Directory)
            removeBelow(path, false);
        addParents(path, layer);
        m_entries[path] = std::move(entry);
    }
}

} // namespace strata
