// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>
#include <utility>
#include <vector>

namespace strata
{

/// One bucket of a bbolt database, read into memory: its key/value pairs and its nested
/// buckets, each sorted by key as bbolt keeps them (bytewise). A copy of what the file held
/// at one transaction: nothing refers back to the file.
struct BoltBucket {
    QByteArray name; ///< the key this bucket has in its parent; empty for the root
    std::vector<std::pair<QByteArray, QByteArray>> values;
    std::vector<BoltBucket> buckets;

    /// The nested bucket `key`, or nullptr.
    [[nodiscard]] const BoltBucket *bucket(QByteArrayView key) const;
    /// The bucket at `path` below this one (each element a nested bucket), or nullptr.
    [[nodiscard]] const BoltBucket *bucketAt(std::initializer_list<QByteArrayView> path) const;
    /// The value of `key`, or a null QByteArray when there is none.
    [[nodiscard]] QByteArray value(QByteArrayView key) const;
    [[nodiscard]] bool hasValue(QByteArrayView key) const;
    /// Every key/value pair and bucket of the whole tree below (this one included).
    [[nodiscard]] qsizetype totalEntries() const;
    /// Sorts values and buckets by key (a walk collects them in page order, which a corrupt
    /// file need not keep).
    void sort();
};

} // namespace strata
