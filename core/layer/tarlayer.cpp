// SPDX-License-Identifier: GPL-2.0-or-later
#include "tarlayer.h"

#include "core/fs/layerdir.h"
#include "core/fs/pathparts.h"

#include <QString>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace strata
{

namespace
{

constexpr std::uint32_t Invalid = 0xffffffffu;
constexpr std::size_t NameMax = 255; // what the kernel can hold in one component
constexpr std::size_t LinkMax = 4096; // PATH_MAX: no symlink target can be longer
constexpr std::size_t NamesMax = std::size_t(1) << 31; // offsets are 32-bit

mode_t formatOf(EntryType type)
{
    switch (type) {
    case EntryType::Directory:
        return S_IFDIR;
    case EntryType::Symlink:
        return S_IFLNK;
    case EntryType::Fifo:
        return S_IFIFO;
    case EntryType::Socket:
        return S_IFSOCK;
    case EntryType::CharDevice:
    case EntryType::Whiteout:
        return S_IFCHR;
    case EntryType::BlockDevice:
        return S_IFBLK;
    case EntryType::File:
    case EntryType::Unknown:
        return S_IFREG;
    }
    return S_IFREG;
}

// One directory of a TarLayer, read by the merge engine like a directory on disk.
class TarLayerDir final : public LayerDir
{
public:
    TarLayerDir(std::shared_ptr<const TarLayer> layer, std::uint32_t id) : m_layer(std::move(layer)), m_id(id) { }

    bool readAll() override
    {
        m_entries.clear();
        const TarLayer::Node &dir = m_layer->node(m_id);
        m_entries.reserve(dir.childCount);
        const std::uint32_t *children = m_layer->children(m_id);
        for (std::uint32_t i = 0; i < dir.childCount; ++i)
            m_entries.push_back(Entry {
                m_layer->name(children[i]), static_cast<unsigned char>(IFTODT(m_layer->node(children[i]).mode))});
        return true;
    }
    [[nodiscard]] const std::vector<Entry> &entries() const override { return m_entries; }
    [[nodiscard]] int readError() const override { return 0; }
    void releaseEntries() override { m_entries = {}; }
    [[nodiscard]] bool statSelf(struct stat *st) const override
    {
        fill(m_layer->node(m_id), st);
        return true;
    }
    [[nodiscard]] bool statEntry(std::string_view name, struct stat *st) const override
    {
        const std::int64_t id = m_layer->find(m_id, name);
        if (id < 0) {
            errno = ENOENT;
            return false;
        }
        fill(m_layer->node(static_cast<std::uint32_t>(id)), st);
        return true;
    }
    [[nodiscard]] QByteArray readLink(std::string_view name) const override
    {
        const std::int64_t id = m_layer->find(m_id, name);
        if (id < 0)
            return {};
        const std::string_view t = m_layer->linkTarget(static_cast<std::uint32_t>(id));
        return QByteArray(t.data(), static_cast<qsizetype>(t.size()));
    }
    // What overlay2 would have on disk: opaque="y" on a directory the layer made opaque.
    [[nodiscard]] OverlayXattrs entryXattrs(std::string_view name, XattrNamespace) const override
    {
        const std::int64_t id = m_layer->find(m_id, name);
        const bool opaque = id >= 0 && m_layer->node(static_cast<std::uint32_t>(id)).type == EntryType::Directory
            && (m_layer->node(static_cast<std::uint32_t>(id)).flags & TarLayer::Opaque);
        return opaque ? OverlayXattrs::opaqueDir() : OverlayXattrs();
    }
    [[nodiscard]] OverlayXattrs dirXattrs(XattrNamespace) const override
    {
        return (m_layer->node(m_id).flags & TarLayer::Opaque) ? OverlayXattrs::opaqueDir() : OverlayXattrs();
    }
    [[nodiscard]] Result<std::shared_ptr<LayerDir>> openDir(std::string_view name) const override
    {
        const std::int64_t id = m_layer->find(m_id, name);
        if (id < 0)
            return Error {ENOENT, QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))};
        if (m_layer->node(static_cast<std::uint32_t>(id)).type != EntryType::Directory)
            return Error {ENOTDIR, QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))};
        return m_layer->dir(static_cast<std::uint32_t>(id));
    }

private:
    static void fill(const TarLayer::Node &n, struct stat *st)
    {
        *st = {};
        st->st_mode = n.mode;
        st->st_uid = n.uid;
        st->st_gid = n.gid;
        const bool device = n.type == EntryType::CharDevice || n.type == EntryType::BlockDevice;
        st->st_size = device ? 0 : n.size;
        st->st_mtim.tv_sec = n.mtime;
        st->st_nlink = 1;
        st->st_rdev = device ? static_cast<dev_t>(n.size) : 0;
    }

    std::shared_ptr<const TarLayer> m_layer;
    std::uint32_t m_id;
    std::vector<Entry> m_entries;
};

} // namespace

std::int64_t TarLayer::find(std::uint32_t dir, std::string_view name) const
{
    const std::uint32_t *first = children(dir);
    const std::uint32_t *last = first + m_nodes[dir].childCount;
    const std::uint32_t *it = std::lower_bound(
        first, last, name, [this](std::uint32_t id, std::string_view n) { return this->name(id) < n; });
    return it != last && this->name(*it) == name ? static_cast<std::int64_t>(*it) : -1;
}

std::size_t TarLayer::memoryBytes() const
{
    return m_nodes.capacity() * sizeof(Node) + m_children.capacity() * sizeof(std::uint32_t) + m_names.capacity();
}

std::shared_ptr<LayerDir> TarLayer::dir(std::uint32_t id) const
{
    return std::make_shared<TarLayerDir>(shared_from_this(), id);
}

TarLayer::Builder::Builder() : m_layer(new TarLayer)
{
    Node root;
    root.mode = S_IFDIR | 0755;
    m_layer->m_nodes.push_back(root);
    m_byPath.emplace(std::string(), 0);
}

void TarLayer::Builder::refuse(const TarEntry &entry, const QString &why)
{
    m_layer->m_problems << QStringLiteral("entry \"%1\": %2").arg(PathParts::shown(entry.path), why);
}

std::uint32_t TarLayer::Builder::child(std::uint32_t parent, std::string_view name, const std::string &path)
{
    auto &nodes = m_layer->m_nodes;
    Node n;
    n.parent = parent;
    n.nameOffset = static_cast<std::uint32_t>(m_layer->m_names.size());
    n.nameLength = static_cast<std::uint16_t>(name.size());
    m_layer->m_names.append(name);
    n.mode = S_IFDIR | 0755;
    nodes.push_back(n);
    const auto id = static_cast<std::uint32_t>(nodes.size() - 1);
    m_byPath[path] = id;
    return id;
}

std::uint32_t TarLayer::Builder::nodeAt(const std::vector<std::string_view> &parts, const TarEntry &entry)
{
    std::uint32_t at = root();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string path = PathParts::joined(parts, i + 1);
        const auto found = m_byPath.find(path);
        if (found == m_byPath.end()) {
            at = child(at, parts[i], path);
            continue;
        }
        Node &n = m_layer->m_nodes[found->second];
        if (n.type == EntryType::Whiteout) {
            // Deleted below and made again in this layer: a new, opaque directory.
            n.type = EntryType::Directory;
            n.mode = S_IFDIR | 0755;
            n.flags |= Opaque;
        } else if (n.type != EntryType::Directory) {
            refuse(entry,
                QStringLiteral("refused: it goes through \"%1\", which is a %2 in this layer")
                    .arg(QString::fromUtf8(path.data(), static_cast<qsizetype>(path.size())),
                        n.type == EntryType::Symlink ? QStringLiteral("symbolic link") : entryTypeName(n.type)));
            return Invalid;
        }
        at = found->second;
    }
    return at;
}

void TarLayer::Builder::setEntry(std::uint32_t id, const TarEntry &e)
{
    Node &n = m_layer->m_nodes[id];
    n.type = e.type == EntryType::Unknown ? EntryType::File : e.type;
    n.mode = static_cast<std::uint32_t>(formatOf(n.type)) | (e.mode & 07777);
    n.uid = e.uid;
    n.gid = e.gid;
    n.size = n.type == EntryType::File ? e.size : (n.type == EntryType::Symlink ? e.linkTarget.size() : 0);
    n.mtime = e.mtime;
    if (n.type == EntryType::CharDevice || n.type == EntryType::BlockDevice)
        n.size = static_cast<std::int64_t>(e.rdev);
    if (n.type == EntryType::Symlink) {
        n.linkOffset = static_cast<std::uint32_t>(m_layer->m_names.size());
        n.linkLength = static_cast<std::uint32_t>(e.linkTarget.size());
        m_layer->m_names.append(e.linkTarget.constData(), static_cast<std::size_t>(e.linkTarget.size()));
    }
}

void TarLayer::Builder::addWhiteout(
    std::uint32_t parent, std::string_view name, const std::string &path, const TarEntry &e)
{
    const auto found = m_byPath.find(path);
    if (found != m_byPath.end()) {
        // A whiteout only hides lower layers: what this layer has under the name stays.
        Node &n = m_layer->m_nodes[found->second];
        n.flags |= WhitedOut;
        if (n.type == EntryType::Directory)
            n.flags |= Opaque;
        return;
    }
    const std::uint32_t id = child(parent, name, path);
    Node &n = m_layer->m_nodes[id];
    n.type = EntryType::Whiteout;
    n.mode = S_IFCHR;
    n.uid = e.uid;
    n.gid = e.gid;
    n.mtime = e.mtime;
    n.flags |= WhitedOut;
}

void TarLayer::Builder::add(const TarEntry &e)
{
    if (m_layer->m_names.size() > NamesMax) {
        if (!m_full)
            refuse(e, QStringLiteral("refused, and every member after it: the layer's names pass 2 GiB"));
        m_full = true;
        return;
    }
    if (static_cast<std::size_t>(e.linkTarget.size()) > LinkMax) {
        refuse(e, QStringLiteral("refused: a link target longer than %1 bytes").arg(LinkMax));
        return;
    }
    std::vector<std::string_view> parts;
    if (!PathParts::split(e.path, parts)) {
        refuse(e, QStringLiteral("refused: \"..\" leads out of the layer"));
        return;
    }
    for (const std::string_view p : parts) {
        if (p.size() > NameMax) {
            refuse(e, QStringLiteral("refused: a name longer than %1 bytes").arg(NameMax));
            return;
        }
    }
    if (parts.empty()) {
        if (e.type == EntryType::Directory && !e.hardlink)
            setEntry(root(), e);
        else
            refuse(e, QStringLiteral("refused: the layer's root can only be a directory"));
        return;
    }
    const std::string_view base = parts.back();
    parts.pop_back();
    // Inside AUFS metadata (.wh..wh.plnk/…): nothing of the image.
    if (std::any_of(parts.cbegin(), parts.cend(), [](std::string_view p) { return p.starts_with(".wh..wh."); }))
        return;
    std::string path = PathParts::joined(parts, parts.size());
    std::uint32_t parent = m_lastDirId;
    if (parent == Invalid || path != m_lastDir) {
        parent = nodeAt(parts, e);
        if (parent == Invalid)
            return;
        m_lastDir = path;
        m_lastDirId = parent;
    }
    if (base.starts_with(".wh.")) {
        if (base == ".wh..wh..opq") {
            m_layer->m_nodes[parent].flags |= Opaque;
            return;
        }
        if (base.starts_with(".wh..wh."))
            return; // AUFS metadata (.wh..wh.plnk): no file of the image
        const std::string_view name = base.substr(4);
        if (name.empty() || name == "." || name == "..") {
            refuse(e, QStringLiteral("refused: a whiteout of no name"));
            return;
        }
        addWhiteout(parent, name, path.empty() ? std::string(name) : path + '/' + std::string(name), e);
        return;
    }
    if (!path.empty())
        path += '/';
    path += base;
    auto found = m_byPath.find(path);
    if (found != m_byPath.end()) {
        Node &old = m_layer->m_nodes[found->second];
        const bool bothDirs = old.type == EntryType::Directory && e.type == EntryType::Directory && !e.hardlink;
        if (old.type == EntryType::Whiteout) {
            if (e.type == EntryType::Directory)
                old.flags |= Opaque; // deleted below, made again here
        } else if (!bothDirs) {
            if (m_duplicates++ == 0)
                m_firstDuplicate = e.path;
            if (old.type == EntryType::Directory) {
                // A directory replaced by something else: what was in it goes too.
                old.flags |= Removed;
                m_lastDirId = Invalid;
                const std::string prefix = path + '/';
                std::erase_if(m_byPath, [&prefix](const auto &kv) { return kv.first.starts_with(prefix); });
                found = m_byPath.end();
            }
        }
    }
    const std::uint32_t id = found != m_byPath.end() ? found->second : child(parent, base, path);
    const std::uint8_t keep = m_layer->m_nodes[id].flags & (Opaque | WhitedOut);
    setEntry(id, e);
    m_layer->m_nodes[id].flags = keep;
    if (e.hardlink)
        m_hardLinks.push_back(HardLink {id, e.linkTarget, e.path});
}

void TarLayer::Builder::resolveHardLinks()
{
    std::vector<std::string_view> parts;
    for (const HardLink &h : m_hardLinks) {
        Node &link = m_layer->m_nodes[h.node];
        TarEntry named;
        named.path = h.name;
        if (!PathParts::split(h.target, parts)) {
            link.flags |= Removed;
            refuse(named,
                QStringLiteral("refused: a hard link to \"%1\", outside the layer").arg(PathParts::shown(h.target)));
            continue;
        }
        const auto found = m_byPath.find(PathParts::joined(parts, parts.size()));
        const Node *target = found != m_byPath.end() ? &m_layer->m_nodes[found->second] : nullptr;
        if (!target || target->type == EntryType::Whiteout || found->second == h.node) {
            refuse(named,
                QStringLiteral("a hard link to \"%1\", which this layer does not hold: shown as an empty file")
                    .arg(PathParts::shown(h.target)));
            continue;
        }
        if (target->type == EntryType::Directory) {
            link.flags |= Removed;
            refuse(
                named, QStringLiteral("refused: a hard link to the directory \"%1\"").arg(PathParts::shown(h.target)));
            continue;
        }
        // One inode: the target's kind and data, the link's own header for the rest.
        link.type = target->type;
        link.mode = (target->mode & S_IFMT) | (link.mode & 07777);
        link.size = target->size;
        link.linkOffset = target->linkOffset;
        link.linkLength = target->linkLength;
    }
}

std::shared_ptr<const TarLayer> TarLayer::Builder::finish()
{
    resolveHardLinks();
    if (m_duplicates > 0)
        m_layer->m_problems << QStringLiteral(
            "entry \"%1\": %2 member(s) name a path an earlier member has; the last one wins")
                                   .arg(PathParts::shown(m_firstDuplicate))
                                   .arg(m_duplicates);
    m_byPath = {};
    auto &nodes = m_layer->m_nodes;
    // Parents come before their children: one pass finds what is still reachable.
    std::vector<bool> live(nodes.size(), true);
    std::vector<std::uint32_t> counts(nodes.size(), 0);
    for (std::size_t i = 1; i < nodes.size(); ++i) {
        live[i] = !(nodes[i].flags & Removed) && live[nodes[i].parent];
        if (live[i])
            ++counts[nodes[i].parent];
    }
    std::uint32_t next = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        nodes[i].firstChild = next;
        nodes[i].childCount = 0;
        next += counts[i];
    }
    m_layer->m_children.resize(next);
    for (std::size_t i = 1; i < nodes.size(); ++i) {
        if (!live[i])
            continue;
        Node &p = nodes[nodes[i].parent];
        m_layer->m_children[p.firstChild + p.childCount++] = static_cast<std::uint32_t>(i);
    }
    const TarLayer &layer = *m_layer;
    for (const Node &n : nodes) {
        auto *first = m_layer->m_children.data() + n.firstChild;
        std::sort(first, first + n.childCount, [&layer](std::uint32_t a, std::uint32_t b) {
            return layer.name(a) < layer.name(b);
        });
    }
    m_layer->m_entryCount = next;
    m_layer->m_names.shrink_to_fit();
    return std::move(m_layer);
}

} // namespace strata
