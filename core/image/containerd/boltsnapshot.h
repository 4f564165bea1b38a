// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/boltbucket.h"
#include "core/image/containerd/boltmeta.h"

#include <QString>

namespace strata
{

/// A bbolt database as one transaction left it: the meta page that was read and the whole
/// bucket tree, in memory (BoltFile).
struct BoltSnapshot {
    BoltMeta meta;
    BoltBucket root;
    /// How many times the file was read before a transaction held still (1 when it was quiet).
    int attempts = 1;
    /// Set when the newest meta page could not be used and the other one was: why.
    QString olderMeta;
};

} // namespace strata
