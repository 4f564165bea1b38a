// SPDX-License-Identifier: GPL-2.0-or-later
#include "entrytype.h"

#include "core/util/enumwords.h"

#include <dirent.h>
#include <sys/stat.h>

namespace strata
{

EntryType entryTypeFromMode(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return EntryType::File;
    case S_IFDIR:
        return EntryType::Directory;
    case S_IFLNK:
        return EntryType::Symlink;
    case S_IFIFO:
        return EntryType::Fifo;
    case S_IFSOCK:
        return EntryType::Socket;
    case S_IFCHR:
        return EntryType::CharDevice;
    case S_IFBLK:
        return EntryType::BlockDevice;
    default:
        return EntryType::Unknown;
    }
}

EntryType entryTypeFromDirent(unsigned char dtype)
{
    // A d_type is the file type bits of a mode, shifted (DT_UNKNOWN gives 0: Unknown).
    return entryTypeFromMode(DTTOIF(dtype));
}

QString entryTypeName(EntryType type)
{
    static constexpr std::array<const char *, 9> Names {
        "unknown", "file", "dir", "symlink", "fifo", "socket", "chardev", "blockdev", "whiteout"}; // in enum order
    return wordOf(Names, type, "unknown");
}

void modeChars(char *out, EntryType type, std::uint32_t mode)
{
    static constexpr std::array<char, 9> Letters {'-', '-', 'd', 'l', 'p', 's', 'c', 'b', 'c'}; // in enum order
    const auto index = static_cast<std::size_t>(type);
    const char t = index < Letters.size() ? Letters[index] : '-';
    out[0] = t;
    static const char letters[] = "rwxrwxrwx";
    for (int i = 0; i < 9; ++i)
        out[i + 1] = (mode & (0400u >> i)) ? letters[i] : '-';
    if (mode & S_ISUID)
        out[3] = (mode & S_IXUSR) ? 's' : 'S';
    if (mode & S_ISGID)
        out[6] = (mode & S_IXGRP) ? 's' : 'S';
    if (mode & S_ISVTX)
        out[9] = (mode & S_IXOTH) ? 't' : 'T';
}

QString modeString(EntryType type, std::uint32_t mode)
{
    char out[10];
    modeChars(out, type, mode);
    return QString::fromLatin1(out, 10);
}

} // namespace strata
