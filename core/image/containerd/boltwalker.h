// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/boltbucket.h"
#include "core/image/containerd/boltmeta.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArrayView>
#include <QSet>

#include <cstdint>

namespace strata
{

/// Reads the bucket tree of one transaction of a bbolt file held in memory (etcd-io/bbolt
/// internal/common/page.go, bucket.go): branch and leaf pages with their overflow, nested
/// buckets on their own pages and inline ones inside a value. Every offset, size and count is
/// checked against the page and the file, every page is read once (a second visit is a cycle),
/// and nesting is bounded: a corrupt file gives an Error, never a crash or a loop.
class BoltWalker final
{
public:
    /// The tree of the transaction `meta` describes. `file` outlives the walker.
    BoltWalker(QByteArrayView file, const BoltMeta &meta);

    /// The root bucket and everything below it.
    [[nodiscard]] Result<BoltBucket> root();

    static constexpr int MaxDepth = 64; ///< branch levels of one tree, and buckets in buckets

private:
    // One page and its overflow pages, header included.
    [[nodiscard]] Result<QByteArrayView> pageAt(std::uint64_t pgid);
    [[nodiscard]] Status walkTree(std::uint64_t pgid, int depth, int nesting, BoltBucket &into);
    [[nodiscard]] Status readBranch(QByteArrayView page, std::uint64_t pgid, int depth, int nesting, BoltBucket &into);
    [[nodiscard]] Status readLeaf(QByteArrayView page, const QString &where, int nesting, BoltBucket &into);
    [[nodiscard]] Status readBucket(QByteArrayView value, const QString &where, int nesting, BoltBucket &bucket);
    [[nodiscard]] static Error corrupt(const QString &where, const QString &what);

    QByteArrayView m_file;
    BoltMeta m_meta;
    QSet<std::uint64_t> m_seen;
};

} // namespace strata
