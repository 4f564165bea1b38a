// SPDX-License-Identifier: GPL-2.0-or-later
#include "whiteoutfilesdir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unordered_set>

namespace strata
{

bool WhiteoutFilesDir::readAll()
{
    m_entries.clear();
    m_names.clear();
    if (!m_dir.readAll())
        return false;
    const std::vector<Entry> &inner = m_dir.entries();
    std::unordered_set<std::string_view> real;
    for (const Entry &e : inner) {
        if (!e.name.starts_with(WhiteoutPrefix))
            real.insert(e.name);
    }
    m_names.reserve(inner.size()); // the entries point into it: it must never grow
    for (const Entry &e : inner) {
        if (!e.name.starts_with(WhiteoutPrefix)) {
            m_entries.push_back(e);
            continue;
        }
        if (e.name.starts_with(MetaPrefix) || isOpaqueMarker(e.name))
            continue;
        const std::string_view name = e.name.substr(WhiteoutPrefix.size());
        if (name.empty() || real.count(name) > 0)
            continue;
        m_names.emplace_back(name);
        m_entries.push_back(Entry {m_names.back(), DT_CHR});
    }
    return true;
}

void WhiteoutFilesDir::releaseEntries()
{
    m_dir.releaseEntries();
    m_entries.clear();
    m_entries.shrink_to_fit();
    m_names.clear();
    m_names.shrink_to_fit();
}

bool WhiteoutFilesDir::whiteoutMarker(std::string_view name, struct stat *st) const
{
    if (name.starts_with(WhiteoutPrefix))
        return false;
    struct stat real {
    };
    if (m_dir.statEntry(name, &real))
        return false;
    std::string marker(WhiteoutPrefix);
    marker += name;
    return m_dir.statEntry(marker, st);
}

bool WhiteoutFilesDir::statEntry(std::string_view name, struct stat *st) const
{
    if (m_dir.statEntry(name, st))
        return !name.starts_with(WhiteoutPrefix);
    if (!whiteoutMarker(name, st))
        return false;
    // What overlayfs keeps for it: a character device 0/0 without permissions, the marker's
    // owner and times kept.
    st->st_mode = S_IFCHR;
    st->st_rdev = makedev(0, 0);
    st->st_size = 0;
    st->st_nlink = 1;
    return true;
}

OverlayXattrs WhiteoutFilesDir::entryXattrs(std::string_view name, XattrNamespace ns) const
{
    struct stat st {
    };
    if (whiteoutMarker(name, &st))
        return {};
    // A directory with a marker is opaque (no symlink is followed: `name` is a directory).
    if (m_dir.statEntry(name, &st) && S_ISDIR(st.st_mode)) {
        for (const std::string_view m : {OpaqueMarker, FuseOpaqueMarker}) {
            std::string marker(name);
            marker += '/';
            marker += m;
            if (::fstatat(m_dir.fd(), marker.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
                return OverlayXattrs::opaqueDir();
        }
    }
    return m_dir.entryXattrs(name, ns);
}

OverlayXattrs WhiteoutFilesDir::dirXattrs(XattrNamespace ns) const
{
    struct stat st {
    };
    if (m_dir.statEntry(OpaqueMarker, &st) || m_dir.statEntry(FuseOpaqueMarker, &st))
        return OverlayXattrs::opaqueDir();
    return m_dir.dirXattrs(ns);
}

Result<std::shared_ptr<LayerDir>> WhiteoutFilesDir::openDir(std::string_view name) const
{
    auto opened = DirScanner::openChild(m_dir.fd(), name);
    if (!opened)
        return opened.error();
    return std::shared_ptr<LayerDir>(std::make_shared<WhiteoutFilesDir>(std::move(opened.value())));
}

} // namespace strata
