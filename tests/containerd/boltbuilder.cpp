// SPDX-License-Identifier: GPL-2.0-or-later
#include "boltbuilder.h"

#include "core/image/containerd/boltmeta.h"

namespace strata::test
{

namespace
{
void put(QByteArray &b, qsizetype at, std::uint64_t v, int bytes)
{
    if (b.size() < at + bytes)
        b.resize(at + bytes, '\0');
    for (int i = 0; i < bytes; ++i)
        b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

QByteArray header(std::uint64_t pgid, std::uint16_t flags, std::uint16_t count, std::uint32_t overflow)
{
    QByteArray h;
    put(h, 0, pgid, 8);
    put(h, 8, flags, 2);
    put(h, 10, count, 2);
    put(h, 12, overflow, 4);
    return h;
}
} // namespace

QByteArray BoltBuilder::leaf(std::uint64_t pgid, const QVector<Element> &elements, std::uint32_t overflow)
{
    QByteArray page = header(pgid, 0x02, static_cast<std::uint16_t>(elements.size()), overflow);
    const qsizetype first = 16 + 16 * elements.size();
    page.resize(first, '\0');
    for (qsizetype i = 0; i < elements.size(); ++i) {
        const Element &e = elements.at(i);
        const qsizetype at = 16 + 16 * i;
        put(page, at, e.bucket ? 1 : 0, 4);
        put(page, at + 4, static_cast<std::uint64_t>(page.size() - at), 4);
        put(page, at + 8, static_cast<std::uint64_t>(e.key.size()), 4);
        put(page, at + 12, static_cast<std::uint64_t>(e.value.size()), 4);
        page += e.key + e.value;
    }
    return page;
}

QByteArray BoltBuilder::branch(std::uint64_t pgid, const QVector<std::pair<QByteArray, std::uint64_t>> &children)
{
    QByteArray page = header(pgid, 0x01, static_cast<std::uint16_t>(children.size()), 0);
    page.resize(16 + 16 * children.size(), '\0');
    for (qsizetype i = 0; i < children.size(); ++i) {
        const qsizetype at = 16 + 16 * i;
        put(page, at, static_cast<std::uint64_t>(page.size() - at), 4);
        put(page, at + 4, static_cast<std::uint64_t>(children.at(i).first.size()), 4);
        put(page, at + 8, children.at(i).second, 8);
        page += children.at(i).first;
    }
    return page;
}

QByteArray BoltBuilder::bucketValue(std::uint64_t root, const QByteArray &inlineLeaf)
{
    QByteArray v;
    put(v, 0, root, 8);
    put(v, 8, 0, 8);
    return v + (root == 0 ? inlineLeaf : QByteArray());
}

QByteArray BoltBuilder::meta(std::uint64_t pgid, std::uint64_t root, std::uint64_t pageCount, std::uint64_t txid)
{
    QByteArray page = header(pgid, 0x04, 0, 0);
    QByteArray m;
    put(m, 0, BoltMeta::Magic, 4);
    put(m, 4, BoltMeta::Version, 4);
    put(m, 8, PageSize, 4);
    put(m, 12, 0, 4);
    put(m, 16, root, 8);
    put(m, 24, 0, 8);
    put(m, 32, 2, 8);
    put(m, 40, pageCount, 8);
    put(m, 48, txid, 8);
    put(m, 56, BoltMeta::fnv1a64(QByteArrayView(m).first(56)), 8);
    return page + m;
}

void BoltBuilder::setPage(std::uint64_t pgid, const QByteArray &bytes)
{
    m_pages.insert(pgid, bytes);
}

QByteArray BoltBuilder::file(std::uint64_t root, std::uint64_t txid, std::uint64_t pageCount) const
{
    std::uint64_t last = 2;
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        last = std::max<std::uint64_t>(last, it.key() + (it.value().size() + PageSize - 1) / PageSize - 1);
    const std::uint64_t count = pageCount ? pageCount : last + 1;
    QByteArray out((last + 1) * PageSize, '\0');
    auto place = [&](std::uint64_t pgid, const QByteArray &b) {
        out.replace(static_cast<qsizetype>(pgid * PageSize), b.size(), b);
    };
    place(0, meta(0, root, count, txid - 1));
    place(1, meta(1, root, count, txid));
    QByteArray freelist;
    put(freelist, 0, 2, 8);
    put(freelist, 8, 0x10, 2);
    place(2, freelist);
    for (auto it = m_pages.cbegin(); it != m_pages.cend(); ++it)
        place(it.key(), it.value());
    return out;
}

} // namespace strata::test
