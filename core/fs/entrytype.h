// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <cstdint>
#include <sys/types.h>

namespace strata
{

/// What a directory entry is. Whiteout is a character device 0/0 (or an xattr whiteout where
/// the kernel honours one); it is never a real device.
enum class EntryType : std::uint8_t {
    Unknown,
    File,
    Directory,
    Symlink,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    Whiteout,
};

[[nodiscard]] EntryType entryTypeFromMode(mode_t mode);
[[nodiscard]] EntryType entryTypeFromDirent(unsigned char dtype);
/// Stable names used in JSON: file, dir, symlink, fifo, socket, chardev, blockdev, whiteout, unknown.
[[nodiscard]] QString entryTypeName(EntryType type);
/// Writes the 10 `ls -l` mode letters into `out` (no terminator): for hot loops.
void modeChars(char *out, EntryType type, std::uint32_t mode);
/// `ls -l` style mode string (e.g. "drwxr-xr-x"); a whiteout shows as "c---------".
[[nodiscard]] QString modeString(EntryType type, std::uint32_t mode);

} // namespace strata
