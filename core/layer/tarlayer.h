// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"
#include "core/layer/tarentry.h"

#include <QStringList>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata
{

class LayerDir;

/// One layer tar read into memory as the directory tree an overlay layer would hold once
/// Docker unpacked it (moby/go-archive, overlay whiteout converter): `.wh.NAME` is a whiteout
/// (a 0/0 character device), `<dir>/.wh..wh..opq` makes <dir> opaque whatever its place in
/// the tar, other `.wh..wh.*` names are metadata and dropped, hard links take their target's
/// data, "./" and "/" prefixes are dropped and names stay bytes. Hostile members (leaving
/// the layer through "..", through a symlink or a file, names the kernel cannot hold) are
/// refused and named in problems(). Immutable once built; its directories are LayerDirs.
class TarLayer final : public std::enable_shared_from_this<TarLayer>
{
public:
    enum Flag : std::uint8_t {
        Opaque = 1u << 0, ///< a directory with .wh..wh..opq (or deleted and made again here)
        Removed = 1u << 1, ///< replaced by a later member of another type: not listed
        WhitedOut = 1u << 2, ///< the layer also holds .wh.NAME for this name
    };
    /// 56 bytes: a 200,000-entry image is read in tens of MB.
    struct Node {
        std::int64_t size = 0; ///< for a device: its number (rdev)
        std::int64_t mtime = 0;
        std::uint32_t nameOffset = 0; ///< into the names
        std::uint32_t linkOffset = 0; ///< symlink target in the names
        std::uint32_t linkLength = 0;
        std::uint32_t mode = 0; ///< S_IFMT and permission bits, as stat says
        std::uint32_t uid = 0;
        std::uint32_t gid = 0;
        std::uint32_t parent = 0;
        std::uint32_t firstChild = 0; ///< into children()
        std::uint32_t childCount = 0;
        std::uint16_t nameLength = 0;
        EntryType type = EntryType::Directory;
        std::uint8_t flags = 0;
    };

    /// Adds the members one by one (in tar order), then finish().
    class Builder final
    {
    public:
        Builder();
        void add(const TarEntry &entry);
        /// Resolves hard links, sorts every directory.
        [[nodiscard]] std::shared_ptr<const TarLayer> finish();

    private:
        struct HardLink {
            std::uint32_t node;
            QByteArray target;
            QByteArray name;
        };
        // The node of a normalised path; parents made as plain directories when missing.
        std::uint32_t nodeAt(const std::vector<std::string_view> &parts, const TarEntry &entry);
        std::uint32_t child(std::uint32_t parent, std::string_view name, const std::string &path);
        void setEntry(std::uint32_t node, const TarEntry &entry);
        void addWhiteout(std::uint32_t parent, std::string_view name, const std::string &path, const TarEntry &e);
        void resolveHardLinks();
        void refuse(const TarEntry &entry, const QString &why);

        std::shared_ptr<TarLayer> m_layer;
        std::unordered_map<std::string, std::uint32_t> m_byPath; // only while building
        std::vector<HardLink> m_hardLinks;
        // The directory the last member went into: members of one directory come together.
        std::string m_lastDir;
        std::uint32_t m_lastDirId = 0xffffffffu;
        std::uint32_t m_duplicates = 0;
        bool m_full = false;
        QByteArray m_firstDuplicate;
    };

    [[nodiscard]] static constexpr std::uint32_t root() { return 0; }
    [[nodiscard]] const Node &node(std::uint32_t id) const { return m_nodes[id]; }
    [[nodiscard]] std::string_view name(std::uint32_t id) const
    {
        return std::string_view(m_names).substr(m_nodes[id].nameOffset, m_nodes[id].nameLength);
    }
    [[nodiscard]] std::string_view linkTarget(std::uint32_t id) const
    {
        return std::string_view(m_names).substr(m_nodes[id].linkOffset, m_nodes[id].linkLength);
    }
    /// The listed children of `dir`, sorted by name bytes.
    [[nodiscard]] const std::uint32_t *children(std::uint32_t dir) const
    {
        return m_children.data() + m_nodes[dir].firstChild;
    }
    /// The child `name` of `dir`, or -1.
    [[nodiscard]] std::int64_t find(std::uint32_t dir, std::string_view name) const;
    /// Everything but the root, removed members left out.
    [[nodiscard]] std::size_t entryCount() const { return m_entryCount; }
    /// Members refused or odd, each naming the member.
    [[nodiscard]] const QStringList &problems() const { return m_problems; }
    [[nodiscard]] std::size_t memoryBytes() const;

    /// A directory of this layer as the merge engine reads it.
    [[nodiscard]] std::shared_ptr<LayerDir> dir(std::uint32_t id) const;

private:
    TarLayer() = default;

    std::vector<Node> m_nodes;
    std::vector<std::uint32_t> m_children;
    std::string m_names; // every name and link target, back to back
    std::size_t m_entryCount = 0;
    QStringList m_problems;
};

} // namespace strata
