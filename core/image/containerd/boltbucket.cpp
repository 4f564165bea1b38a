// SPDX-License-Identifier: GPL-2.0-or-later
#include "boltbucket.h"

#include <algorithm>

namespace strata
{

namespace
{
template<typename Vector, typename Key>
auto findKey(const Vector &v, QByteArrayView key, Key keyOf)
{
    auto it = std::lower_bound(v.begin(), v.end(), key, [&](const auto &e, QByteArrayView k) { return keyOf(e) < k; });
    return it != v.end() && keyOf(*it) == key ? it : v.end();
}
} // namespace

const BoltBucket *BoltBucket::bucket(QByteArrayView key) const
{
    const auto it = findKey(buckets, key, [](const BoltBucket &b) { return QByteArrayView(b.name); });
    return it == buckets.end() ? nullptr : &*it;
}

const BoltBucket *BoltBucket::bucketAt(std::initializer_list<QByteArrayView> path) const
{
    const BoltBucket *b = this;
    for (QByteArrayView key : path) {
        b = b->bucket(key);
        if (!b)
            return nullptr;
    }
    return b;
}

QByteArray BoltBucket::value(QByteArrayView key) const
{
    const auto it = findKey(values, key, [](const auto &p) { return QByteArrayView(p.first); });
    return it == values.end() ? QByteArray() : it->second;
}

bool BoltBucket::hasValue(QByteArrayView key) const
{
    return findKey(values, key, [](const auto &p) { return QByteArrayView(p.first); }) != values.end();
}

qsizetype BoltBucket::totalEntries() const
{
    qsizetype n = static_cast<qsizetype>(values.size());
    for (const BoltBucket &b : buckets)
        n += 1 + b.totalEntries();
    return n;
}

void BoltBucket::sort()
{
    std::stable_sort(values.begin(), values.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    std::stable_sort(
        buckets.begin(), buckets.end(), [](const BoltBucket &a, const BoltBucket &b) { return a.name < b.name; });
}

} // namespace strata
