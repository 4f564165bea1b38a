// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QVector>

#include <cstdint>
#include <utility>

namespace strata::test
{

/// Writes small bbolt files by hand, page by page, for the reader's tests and the fuzzer's
/// seeds: valid ones, and ones broken in exactly one place (a cycle, a page past the end…).
class BoltBuilder final
{
public:
    struct Element {
        QByteArray key;
        QByteArray value;
        bool bucket = false; ///< value is a bucket (bucketValue)
    };
    static constexpr std::uint32_t PageSize = 4096;

    /// A leaf page's bytes (header and elements, unpadded).
    [[nodiscard]] static QByteArray leaf(
        std::uint64_t pgid, const QVector<Element> &elements, std::uint32_t overflow = 0);
    /// A branch page: (first key, child page) per element.
    [[nodiscard]] static QByteArray branch(
        std::uint64_t pgid, const QVector<std::pair<QByteArray, std::uint64_t>> &children);
    /// A bucket's value: on page `root`, or inline (`root` 0) with `inlineLeaf` (a leaf(0, …)).
    [[nodiscard]] static QByteArray bucketValue(std::uint64_t root, const QByteArray &inlineLeaf = {});
    /// A meta page (page 0 or 1), its checksum right.
    [[nodiscard]] static QByteArray meta(
        std::uint64_t pgid, std::uint64_t root, std::uint64_t pageCount, std::uint64_t txid);

    /// Puts `bytes` at page `pgid` (padded to the page size).
    void setPage(std::uint64_t pgid, const QByteArray &bytes);
    /// Two metas (txids `txid` - 1 and `txid`, both rooted at `root`), a freelist page 2, and
    /// every page set, `pageCount` pages in use (0: all of them).
    [[nodiscard]] QByteArray file(std::uint64_t root, std::uint64_t txid = 2, std::uint64_t pageCount = 0) const;

private:
    QMap<std::uint64_t, QByteArray> m_pages;
};

} // namespace strata::test
