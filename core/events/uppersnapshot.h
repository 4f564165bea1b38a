// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"
#include "core/fs/overlayxattrs.h"

#include <QByteArray>
#include <QMap>

#include <cstdint>

namespace strata
{

class DirScanner;

/// The state of a writable layer (upper) at one moment: every entry with what is needed to
/// tell what changed — inode, times, size, mode, and its overlay xattrs.
class UpperSnapshot final
{
public:
    struct Entry {
        EntryType type = EntryType::Unknown;
        std::uint32_t mode = 0;
        std::uint32_t uid = 0;
        std::uint32_t gid = 0;
        std::int64_t size = 0;
        std::int64_t mtimeNs = 0;
        std::int64_t ctimeNs = 0;
        std::uint64_t ino = 0;
        unsigned xattrFlags = 0; ///< OverlayXattrs::Flag
        QByteArray redirect;
        /// A digest of the other xattrs (what the merged view lists), to see setxattr.
        std::uint64_t xattrDigest = 0;
    };

    /// Scans `root` recursively without following symlinks. Overlay xattrs are read in `ns`.
    static UpperSnapshot take(const QByteArray &root, XattrNamespace ns);

    [[nodiscard]] const QMap<QByteArray, Entry> &entries() const { return m_entries; }
    /// Forgets fuse-overlayfs's own opaque markers (".wh..wh..opq", ".wh..opq"); it also sets
    /// overlay.opaque, which is what the kernel and the tracker read.
    void dropFuseOverlayfsMarkers();

private:
    void scan(DirScanner &dir, const QByteArray &rel, XattrNamespace ns, int depth);

    QMap<QByteArray, Entry> m_entries; // merged-view path ("/a/b") -> entry, parents first
};

} // namespace strata
