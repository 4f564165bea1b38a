// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

namespace strata
{

/// Copying the data of one regular file into another, the way the kernel's copy-up does it:
/// a reflink where the filesystem can make one, else only the data extents (SEEK_DATA /
/// SEEK_HOLE) copied in the kernel (copy_file_range), so that holes stay holes — a sparse
/// 10 GiB file costs what it holds, not 10 GiB.
class FileData final
{
public:
    /// Copies `size` bytes of `in` into the empty file `out`: 0, or the errno that stopped it.
    [[nodiscard]] static int copy(int in, int out, off_t size);

private:
    /// Copies [from, from + length) at the same offsets: 0 or errno.
    [[nodiscard]] static int copyRange(int in, int out, off_t from, off_t length);
};

} // namespace strata
