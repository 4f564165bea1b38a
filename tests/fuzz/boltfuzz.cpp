// SPDX-License-Identifier: GPL-2.0-or-later
// A bbolt file straight from bytes (what containerd's meta.db and its snapshotter's
// metadata.db are): read by BoltFile as the containerd store reads one, the snapshotter's
// records taken from it, never a crash, a loop or a read outside the input.
#include "tests/fuzz/fuzztargets.h"

#include "core/image/containerd/boltfile.h"
#include "core/image/containerd/containerdsnapshotdb.h"
#include "core/image/containerd/goencoding.h"

namespace strata::fuzz
{

namespace
{
// Every value once through the decoders containerd's values need; lookups find what is there.
void visit(const BoltBucket &b, int depth)
{
    require(depth <= 200, "nesting is bounded");
    for (const auto &[key, value] : b.values) {
        (void)GoEncoding::uvarint(value);
        (void)GoEncoding::varint(value);
        (void)GoEncoding::time(value);
        require(b.hasValue(key), "a value is found by its key");
    }
    for (const BoltBucket &child : b.buckets) {
        require(b.bucket(child.name) != nullptr, "a bucket is found by its key");
        visit(child, depth + 1);
    }
}
} // namespace

void bolt(const std::uint8_t *data, std::size_t size)
{
    quietQt();
    const QByteArray input = bytes(data, size);
    auto db = BoltFile::parse(input);
    if (!db) {
        require(!db.error().message.isEmpty(), "a refused file says why");
        return;
    }
    require(db->meta.root < db->meta.pageCount, "the root is a page in use");
    visit(db->root, 0);
    StoreProblems problems;
    (void)ContainerdSnapshotDb::parse(db->root, QStringLiteral("fuzz"), problems);
}

} // namespace strata::fuzz
