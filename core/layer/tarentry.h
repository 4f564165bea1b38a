// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"

#include <QByteArray>
#include <QPair>
#include <QVector>

#include <cstdint>
#include <sys/types.h>

namespace strata
{

/// One member of a layer tar as its header says, nothing interpreted yet: the name as stored
/// (bytes, "./" and "/" prefixes kept), whiteout markers as the plain files they are.
struct TarEntry {
    QByteArray path;
    EntryType type = EntryType::File; ///< a hard link is its own kind: see `hardlink`
    bool hardlink = false; ///< `linkTarget` names another member of the same tar
    std::uint32_t mode = 0; ///< permission bits only (07777)
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    dev_t rdev = 0;
    QByteArray linkTarget; ///< symlink target or hard link name
    QVector<QPair<QByteArray, QByteArray>> xattrs; ///< PAX SCHILY.xattr.* records
};

} // namespace strata
