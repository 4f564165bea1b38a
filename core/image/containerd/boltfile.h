// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerd/boltmeta.h"
#include "core/image/containerd/boltsnapshot.h"
#include "core/util/result.h"

#include <QByteArrayView>
#include <QString>
#include <QVector>

namespace strata
{

/// A bbolt database file (containerd's meta.db, its snapshotter's metadata.db) read without
/// bbolt and without its lock. The daemon keeps the file open with flock(LOCK_EX) while it
/// runs, so this opens it O_RDONLY, never takes the lock and never writes, and stays
/// consistent another way: it reads the file, takes the newest valid meta page (transaction
/// T), reads the tree, then reads the meta pages again. Pages freed by T+1 are reused only
/// from T+2 on, so the tree is whole when the newest transaction is still at most T+1;
/// otherwise it reads again, and after `attempts` reads it gives up and says so.
class BoltFile final
{
public:
    static constexpr int DefaultAttempts = 5;
    static constexpr qint64 MaxBytes = qint64(4) << 30;

    /// The database at `path`, as one transaction left it.
    [[nodiscard]] static Result<BoltSnapshot> read(const QString &path, int attempts = DefaultAttempts);
    /// The database held in `bytes` (a copy of a file): the newest meta page whose tree reads
    /// whole, else the other one (BoltSnapshot::olderMeta says why), else the error.
    [[nodiscard]] static Result<BoltSnapshot> parse(QByteArrayView bytes);
    /// The valid meta pages of `bytes`, newest first; an error when there is none.
    [[nodiscard]] static Result<QVector<BoltMeta>> metas(QByteArrayView bytes);

private:
    // The header bytes of an open file: enough for both meta pages at `pageSize`.
    [[nodiscard]] static Result<QByteArray> readHead(int fd, std::uint32_t pageSize, const QString &path);
};

} // namespace strata
