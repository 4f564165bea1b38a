// SPDX-License-Identifier: GPL-2.0-or-later
#include "uppersnapshot.h"

#include "core/fs/dirscanner.h"

#include <QHashFunctions>

#include <cstdio>
#include <sys/stat.h>
#include <sys/xattr.h>

namespace strata
{

namespace
{
// The xattrs of the entry `name` that are not the overlay's own, names and values, as one
// number: an edit that only sets or removes one changes nothing else that is seen.
std::uint64_t xattrDigest(int dirFd, std::string_view name, XattrNamespace ns)
{
    char path[64 + 256];
    std::snprintf(path, sizeof path, "/proc/self/fd/%d/%.*s", dirFd, static_cast<int>(name.size()), name.data());
    const ssize_t size = ::llistxattr(path, nullptr, 0);
    if (size <= 0)
        return 0;
    QByteArray names(size, '\0');
    const ssize_t got = ::llistxattr(path, names.data(), static_cast<size_t>(size));
    std::uint64_t digest = 0;
    for (const QByteArray &attr : names.left(got > 0 ? got : 0).split('\0')) {
        if (attr.isEmpty() || OverlayXattrs::isPrivateName(std::string_view(attr.constData(), attr.size()), ns))
            continue;
        char value[4096];
        const ssize_t vlen = ::lgetxattr(path, attr.constData(), value, sizeof value);
        digest = digest * 1000003u ^ qHash(attr) ^ (qHashBits(value, vlen > 0 ? size_t(vlen) : 0) << 1);
    }
    return digest;
}
} // namespace

UpperSnapshot UpperSnapshot::take(const QByteArray &root, XattrNamespace ns)
{
    UpperSnapshot s;
    auto dir = DirScanner::openRoot(root);
    if (dir)
        s.scan(*dir, QByteArray(), ns, 0);
    return s;
}

void UpperSnapshot::dropFuseOverlayfsMarkers()
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it.key().endsWith("/.wh..wh..opq") || it.key().endsWith("/.wh..opq"))
            it = m_entries.erase(it);
        else
            ++it;
    }
}

void UpperSnapshot::scan(DirScanner &dir, const QByteArray &rel, XattrNamespace ns, int depth)
{
    if (depth > 1024 || !dir.readAll())
        return;
    for (const DirScanner::Entry &e : dir.entries()) {
        struct stat st {
        };
        if (!dir.statEntry(e.name, &st))
            continue;
        Entry entry;
        entry.type = DirScanner::isWhiteout(st) ? EntryType::Whiteout : entryTypeFromMode(st.st_mode);
        entry.mode = st.st_mode;
        entry.uid = st.st_uid;
        entry.gid = st.st_gid;
        entry.size = st.st_size;
        entry.mtimeNs = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        entry.ctimeNs = st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec;
        entry.ino = st.st_ino;
        if (entry.type == EntryType::Directory || entry.type == EntryType::File) {
            const OverlayXattrs x = dir.entryXattrs(e.name, ns);
            entry.xattrFlags = x.flags();
            entry.redirect = x.redirect();
        }
        if (entry.type != EntryType::Whiteout)
            entry.xattrDigest = xattrDigest(dir.fd(), e.name, ns);
        const QByteArray path = rel + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size()));
        m_entries.insert(path, entry);
        if (entry.type == EntryType::Directory) {
            auto child = DirScanner::openChild(dir.fd(), e.name);
            if (child)
                scan(*child, path, ns, depth + 1);
        }
    }
}

} // namespace strata
