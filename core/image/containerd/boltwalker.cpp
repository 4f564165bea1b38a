// SPDX-License-Identifier: GPL-2.0-or-later
#include "boltwalker.h"

#include "core/image/containerd/boltbytes.h"

#include <cerrno>

namespace strata
{

namespace
{
constexpr std::uint16_t BranchPage = 0x01;
constexpr std::uint16_t LeafPage = 0x02;
constexpr std::uint32_t BucketLeafFlag = 0x01;
constexpr qsizetype HeaderSize = 16;
constexpr qsizetype ElementSize = 16; // branch and leaf elements alike
constexpr qsizetype BucketHeaderSize = 16; // root pgid, sequence

QString pageName(std::uint64_t pgid)
{
    return QStringLiteral("page %1").arg(pgid);
}
} // namespace

BoltWalker::BoltWalker(QByteArrayView file, const BoltMeta &meta) : m_file(file), m_meta(meta)
{
}

Error BoltWalker::corrupt(const QString &where, const QString &what)
{
    return Error {EINVAL, QStringLiteral("%1: %2").arg(where, what)};
}

Result<BoltBucket> BoltWalker::root()
{
    m_seen.clear();
    BoltBucket root;
    if (Status s = walkTree(m_meta.root, 0, 0, root); !s.ok())
        return s.error();
    root.sort();
    return root;
}

Result<QByteArrayView> BoltWalker::pageAt(std::uint64_t pgid)
{
    const std::uint64_t size = m_meta.pageSize;
    const auto fileSize = static_cast<std::uint64_t>(m_file.size());
    // pgid < pageCount keeps pgid * size from overflowing once pageCount * size fits the file.
    if (pgid < 2 || pgid >= m_meta.pageCount || pgid > fileSize / size || fileSize - pgid * size < size)
        return corrupt(pageName(pgid),
            QStringLiteral("outside the file (%1 pages in use, %2 bytes)").arg(m_meta.pageCount).arg(fileSize));
    const QByteArrayView head = m_file.sliced(static_cast<qsizetype>(pgid * size), HeaderSize);
    if (BoltBytes::u64(head, 0) != pgid)
        return corrupt(pageName(pgid), QStringLiteral("its header says page %1").arg(BoltBytes::u64(head, 0)));
    const std::uint64_t overflow = BoltBytes::u32(head, 12);
    if (overflow >= m_meta.pageCount - pgid || (fileSize - pgid * size) / size <= overflow)
        return corrupt(pageName(pgid), QStringLiteral("%1 overflow pages run past the end").arg(overflow));
    if (m_seen.contains(pgid))
        return corrupt(pageName(pgid), QStringLiteral("reached twice (a cycle, or two parents)"));
    m_seen.insert(pgid);
    return m_file.sliced(static_cast<qsizetype>(pgid * size), static_cast<qsizetype>((overflow + 1) * size));
}

Status BoltWalker::walkTree(std::uint64_t pgid, int depth, int nesting, BoltBucket &into)
{
    if (depth > MaxDepth)
        return corrupt(pageName(pgid), QStringLiteral("more than %1 branch levels").arg(MaxDepth));
    auto page = pageAt(pgid);
    if (!page)
        return page.error();
    const std::uint16_t flags = BoltBytes::u16(*page, 8);
    if (flags == BranchPage)
        return readBranch(*page, pgid, depth, nesting, into);
    if (flags == LeafPage)
        return readLeaf(*page, pageName(pgid), nesting, into);
    return corrupt(pageName(pgid), QStringLiteral("neither a branch nor a leaf page (flags 0x%1)").arg(flags, 0, 16));
}

Status BoltWalker::readBranch(QByteArrayView page, std::uint64_t pgid, int depth, int nesting, BoltBucket &into)
{
    const qsizetype count = BoltBytes::u16(page, 10);
    if (count == 0 || HeaderSize + count * ElementSize > page.size())
        return corrupt(pageName(pgid), QStringLiteral("%1 branch elements do not fit the page").arg(count));
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype at = HeaderSize + i * ElementSize;
        // The key (pos, ksize) is only a search hint: the children hold the real keys.
        const std::uint64_t pos = BoltBytes::u32(page, at);
        const std::uint64_t ksize = BoltBytes::u32(page, at + 4);
        if (static_cast<std::uint64_t>(at) + pos + ksize > static_cast<std::uint64_t>(page.size()))
            return corrupt(pageName(pgid), QStringLiteral("branch element %1 runs past the page").arg(i));
        if (Status s = walkTree(BoltBytes::u64(page, at + 8), depth + 1, nesting, into); !s.ok())
            return s;
    }
    return {};
}

Status BoltWalker::readLeaf(QByteArrayView page, const QString &where, int nesting, BoltBucket &into)
{
    const qsizetype count = BoltBytes::u16(page, 10);
    if (HeaderSize + count * ElementSize > page.size())
        return corrupt(where, QStringLiteral("%1 leaf elements do not fit the page").arg(count));
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype at = HeaderSize + i * ElementSize;
        const std::uint32_t flags = BoltBytes::u32(page, at);
        const std::uint64_t pos = BoltBytes::u32(page, at + 4);
        const std::uint64_t ksize = BoltBytes::u32(page, at + 8);
        const std::uint64_t vsize = BoltBytes::u32(page, at + 12);
        if (static_cast<std::uint64_t>(at) + pos + ksize + vsize > static_cast<std::uint64_t>(page.size()))
            return corrupt(where, QStringLiteral("leaf element %1 runs past the page").arg(i));
        const qsizetype k = at + static_cast<qsizetype>(pos);
        QByteArray key(page.data() + k, static_cast<qsizetype>(ksize));
        const QByteArrayView value = page.sliced(k + static_cast<qsizetype>(ksize), static_cast<qsizetype>(vsize));
        if (!(flags & BucketLeafFlag)) {
            into.values.emplace_back(std::move(key), value.toByteArray());
            continue;
        }
        BoltBucket child;
        child.name = std::move(key);
        if (Status s = readBucket(value, where, nesting + 1, child); !s.ok())
            return s;
        into.buckets.push_back(std::move(child));
    }
    return {};
}

Status BoltWalker::readBucket(QByteArrayView value, const QString &where, int nesting, BoltBucket &bucket)
{
    const QString name
        = QStringLiteral("%1, bucket \"%2\"").arg(where, QString::fromUtf8(bucket.name.toPercentEncoding()));
    if (nesting > MaxDepth)
        return corrupt(name, QStringLiteral("more than %1 buckets nested").arg(MaxDepth));
    if (value.size() < BucketHeaderSize)
        return corrupt(name, QStringLiteral("its value has %1 bytes, not a bucket").arg(value.size()));
    const std::uint64_t root = BoltBytes::u64(value, 0);
    if (root != 0) {
        if (Status s = walkTree(root, 0, nesting, bucket); !s.ok())
            return s;
    } else {
        // Inline: a leaf page right after the bucket header, inside the value.
        const QByteArrayView page = value.sliced(BucketHeaderSize);
        if (page.size() < HeaderSize)
            return corrupt(name, QStringLiteral("an inline bucket without its page"));
        if (BoltBytes::u16(page, 8) != LeafPage)
            return corrupt(name, QStringLiteral("an inline bucket whose page is not a leaf"));
        if (Status s = readLeaf(page, name, nesting, bucket); !s.ok())
            return s;
    }
    bucket.sort();
    return {};
}

} // namespace strata
