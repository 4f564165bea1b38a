// SPDX-License-Identifier: GPL-2.0-or-later
#include "archivereader.h"

#include <archive.h>

namespace strata
{

void ArchiveReader::Free::operator()(struct archive *a) const
{
    archive_read_free(a);
}

ArchiveReader::Ptr ArchiveReader::decompressing()
{
    Ptr a(archive_read_new());
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_filter_xz(a.get());
    archive_read_support_filter_bzip2(a.get());
    return a;
}

} // namespace strata
