// SPDX-License-Identifier: GPL-2.0-or-later
#include "boltmeta.h"

#include "core/image/containerd/boltbytes.h"

#include <cerrno>

namespace strata
{

std::uint64_t BoltMeta::fnv1a64(QByteArrayView bytes)
{
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

Result<BoltMeta> BoltMeta::parse(QByteArrayView bytes, qsizetype offset)
{
    auto bad = [offset](const QString &why) {
        return Error {EINVAL, QStringLiteral("meta page at byte %1: %2").arg(offset).arg(why)};
    };
    if (offset < 0 || bytes.size() - offset < PageHeaderSize + Size)
        return bad(QStringLiteral("the file ends before it"));
    const QByteArrayView page = bytes.sliced(offset);
    if (!(BoltBytes::u16(page, 8) & 0x04))
        return bad(QStringLiteral("not a meta page (flags 0x%1)").arg(BoltBytes::u16(page, 8), 0, 16));
    const QByteArrayView m = page.sliced(PageHeaderSize, Size);
    if (BoltBytes::u32(m, 0) != Magic)
        return bad(QStringLiteral("no bbolt magic (0x%1)").arg(BoltBytes::u32(m, 0), 8, 16, QLatin1Char('0')));
    if (BoltBytes::u32(m, 4) != Version)
        return bad(QStringLiteral("version %1, not %2").arg(BoltBytes::u32(m, 4)).arg(Version));
    if (BoltBytes::u64(m, 56) != fnv1a64(m.first(56)))
        return bad(QStringLiteral("checksum mismatch"));
    BoltMeta meta;
    meta.pageSize = BoltBytes::u32(m, 8);
    meta.flags = BoltBytes::u32(m, 12);
    meta.root = BoltBytes::u64(m, 16);
    meta.sequence = BoltBytes::u64(m, 24);
    meta.freelist = BoltBytes::u64(m, 32);
    meta.pageCount = BoltBytes::u64(m, 40);
    meta.txid = BoltBytes::u64(m, 48);
    // A page must hold at least a header and one element; bbolt uses the OS page size.
    const bool powerOfTwo = (meta.pageSize & (meta.pageSize - 1)) == 0;
    if (meta.pageSize < 512 || meta.pageSize > (1U << 20) || !powerOfTwo)
        return bad(QStringLiteral("page size %1 is not usable").arg(meta.pageSize));
    if (meta.root < 2 || meta.root >= meta.pageCount)
        return bad(QStringLiteral("root page %1 outside the %2 pages in use").arg(meta.root).arg(meta.pageCount));
    return meta;
}

} // namespace strata
