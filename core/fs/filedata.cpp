// SPDX-License-Identifier: GPL-2.0-or-later
#include "filedata.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace strata
{

int FileData::copy(int in, int out, off_t size)
{
    if (size > 0 && ::ioctl(out, FICLONE, in) == 0)
        return 0;
    for (off_t pos = 0; pos < size;) {
        off_t data = ::lseek(in, pos, SEEK_DATA);
        off_t end = size;
        if (data < 0 && errno == ENXIO)
            break; // only a hole is left
        if (data < 0) {
            data = pos; // no SEEK_DATA here: all of it counts as data
        } else {
            end = ::lseek(in, data, SEEK_HOLE);
            if (end < 0 || end > size)
                end = size;
        }
        if (const int err = copyRange(in, out, data, end - data))
            return err;
        pos = end;
    }
    // The size, with the holes at the end.
    return ::ftruncate(out, size) == 0 ? 0 : errno;
}

int FileData::copyRange(int in, int out, off_t from, off_t length)
{
    loff_t inOff = from;
    loff_t outOff = from;
    while (length > 0) {
        const ssize_t n = ::copy_file_range(in, &inOff, out, &outOff, static_cast<size_t>(length), 0);
        if (n <= 0)
            break; // EXDEV, EINVAL (filesystems that cannot), or the end of a file that shrank
        length -= n;
    }
    char buf[1 << 16];
    while (length > 0) {
        const ssize_t r = ::pread(in, buf, static_cast<size_t>(std::min<off_t>(length, sizeof buf)), inOff);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            break;
        const ssize_t w = ::pwrite(out, buf, static_cast<size_t>(r), outOff);
        if (w != r)
            return w < 0 ? errno : EIO;
        inOff += r;
        outOff += r;
        length -= r;
    }
    return 0;
}

} // namespace strata
