// SPDX-License-Identifier: GPL-2.0-or-later
#include "boltfile.h"

#include "core/image/containerd/boltwalker.h"
#include "core/util/filename.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace strata
{

namespace
{
// O_RDONLY only: never O_RDWR, never flock (the daemon holds LOCK_EX). O_NOATIME where we may.
int openReadOnly(const QString &path)
{
    const QByteArray name = encodeFileName(path);
    int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
    return fd;
}

struct Fd {
    int fd;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};
} // namespace

Result<QVector<BoltMeta>> BoltFile::metas(QByteArrayView bytes)
{
    QVector<BoltMeta> found;
    auto first = BoltMeta::parse(bytes, 0);
    if (first) {
        found << *first;
        if (auto second = BoltMeta::parse(bytes, first->pageSize); second && second->pageSize == first->pageSize)
            found << *second;
    } else {
        // Meta 0 is damaged: find meta 1 where bbolt would look (db.go getPageSizeFromSecondMeta).
        for (qsizetype offset = 1024; offset <= (qsizetype(1) << 20); offset *= 2) {
            auto second = BoltMeta::parse(bytes, offset);
            if (second && second->pageSize == offset) {
                found << *second;
                break;
            }
        }
    }
    if (found.isEmpty())
        return Error {EINVAL,
            QStringLiteral("not a bbolt database, or both meta pages are damaged (%1)").arg(first.error().message)};
    if (found.size() == 2 && found[1].txid > found[0].txid)
        std::swap(found[0], found[1]);
    return found;
}

Result<BoltSnapshot> BoltFile::parse(QByteArrayView bytes)
{
    auto found = metas(bytes);
    if (!found)
        return found.error();
    QString newestError;
    for (const BoltMeta &meta : std::as_const(*found)) {
        auto root = BoltWalker(bytes, meta).root();
        if (root) {
            BoltSnapshot s {meta, std::move(*root), 1, {}};
            if (!newestError.isEmpty())
                s.olderMeta = QStringLiteral("transaction %1 does not read (%2); this is transaction %3")
                                  .arg(found->first().txid)
                                  .arg(newestError)
                                  .arg(meta.txid);
            return s;
        }
        if (newestError.isEmpty())
            newestError = root.error().message;
    }
    return Error {EINVAL, QStringLiteral("transaction %1: %2").arg(found->first().txid).arg(newestError)};
}

Result<QByteArray> BoltFile::readHead(int fd, std::uint32_t pageSize, const QString &path)
{
    QByteArray head(qsizetype(2) * pageSize, Qt::Uninitialized);
    qsizetype got = 0;
    while (got < head.size()) {
        const ssize_t n = ::pread(fd, head.data() + got, static_cast<size_t>(head.size() - got), got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(errno, path);
        if (n == 0)
            break;
        got += n;
    }
    head.truncate(got);
    return head;
}

Result<BoltSnapshot> BoltFile::read(const QString &path, int attempts)
{
    attempts = std::max(1, attempts);
    std::uint64_t before = 0;
    std::uint64_t after = 0;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        const Fd file {openReadOnly(path)};
        if (file.fd < 0)
            return Error::fromErrno(errno, path);
        auto bytes = readOpenFile(file.fd, MaxBytes, path);
        if (!bytes)
            return bytes.error();
        auto snapshot = parse(*bytes);
        const auto then = metas(*bytes);
        // The metas again: a transaction that committed meanwhile may have reused what we read.
        auto head = readHead(file.fd, then ? then->first().pageSize : 4096, path);
        if (!head)
            return head.error();
        const auto now = metas(*head);
        before = then ? then->first().txid : 0;
        after = now ? now->first().txid : 0;
        if (snapshot && now && after <= snapshot->meta.txid + 1) {
            snapshot->attempts = attempt;
            return snapshot;
        }
        // Damaged for good: nothing committed while we read, or nothing that is bbolt at all.
        const bool still = then && now && after == before;
        if (!snapshot && (still || (!then && !now)))
            return Error {snapshot.error().code, path + QStringLiteral(": ") + snapshot.error().message};
    }
    return Error {EAGAIN,
        QStringLiteral("%1: the database kept changing while it was read (%2 reads; transaction %3, then %4); "
                       "try again")
            .arg(path)
            .arg(attempts)
            .arg(before)
            .arg(after)};
}

} // namespace strata
