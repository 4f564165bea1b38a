// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <memory>

struct archive;

namespace strata
{

/// libarchive readers as the archive code opens them: freed by their owner, and
/// decompressing gzip, zstd, xz and bzip2 in-process only (never through an external program,
/// whatever the bytes claim).
class ArchiveReader final
{
public:
    struct Free {
        void operator()(struct archive *a) const;
    };
    using Ptr = std::unique_ptr<struct archive, Free>;

    /// A new reader with the decompressors and no format yet.
    [[nodiscard]] static Ptr decompressing();
};

} // namespace strata
