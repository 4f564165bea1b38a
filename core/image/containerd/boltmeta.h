// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArrayView>

#include <cstdint>

namespace strata
{

/// One of the two meta pages of a bbolt database (etcd-io/bbolt internal/common/meta.go):
/// where the root bucket is, how far the file is used, and which transaction wrote it. bbolt
/// writes its fields in the machine's byte order: little-endian on every platform we read.
struct BoltMeta {
    static constexpr std::uint32_t Magic = 0xED0CDAED;
    static constexpr std::uint32_t Version = 2;
    /// A meta page: the 16-byte page header, then 64 bytes of fields.
    static constexpr qsizetype PageHeaderSize = 16;
    static constexpr qsizetype Size = 64;

    std::uint32_t pageSize = 0;
    std::uint32_t flags = 0;
    std::uint64_t root = 0; ///< the page of the root bucket
    std::uint64_t sequence = 0;
    std::uint64_t freelist = 0;
    std::uint64_t pageCount = 0; ///< the high-water mark: pages at or above it are unused
    std::uint64_t txid = 0;

    /// The meta page that starts at `offset` in `bytes`, checked as bbolt checks it: the page
    /// header says meta, magic, version, FNV-1a-64 checksum; and a page size we can use.
    [[nodiscard]] static Result<BoltMeta> parse(QByteArrayView bytes, qsizetype offset);
    /// FNV-1a, 64 bits (what bbolt's meta checksum is).
    [[nodiscard]] static std::uint64_t fnv1a64(QByteArrayView bytes);
};

} // namespace strata
