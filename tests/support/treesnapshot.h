// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"

#include <QByteArray>
#include <QMap>
#include <QSet>
#include <QString>

namespace strata::test
{

/// A merged view reduced to what can be compared with the kernel, keyed by path: the
/// fields of reference/overlayfs.md §21.2 (type, mode, size, owner, link target, content).
/// Directory sizes and link counts are left out (§21.1).
class TreeSnapshot final
{
public:
    struct Record {
        QString type;
        quint32 mode = 0;
        qint64 size = 0;
        quint32 uid = 0;
        quint32 gid = 0;
        QByteArray target;
        QByteArray contentHash;
        bool operator==(const Record &o) const = default;
    };

    /// Walks a real directory tree (a mounted overlay) with readdir + lstat. Names that
    /// readdir lists but lstat cannot find (whiteouts inside opaque directories) are skipped,
    /// and counted.
    static TreeSnapshot fromDirectory(const QString &root);
    /// The visible entries of a MergedTree, contents read from the providing layer.
    static TreeSnapshot fromMergedTree(const MergedTree &tree);

    [[nodiscard]] const QMap<QByteArray, Record> &records() const { return m_records; }
    [[nodiscard]] int listedButMissing() const { return m_listedButMissing; }
    [[nodiscard]] QStringList errors() const { return m_errors; }
    /// Paths the kernel listed but refused to look up, with the errno (e.g. ESTALE).
    [[nodiscard]] const QMap<QByteArray, int> &lookupErrors() const { return m_lookupErrors; }
    /// Paths our view flags as conflicting (MergedNode::LowerConflict).
    [[nodiscard]] const QSet<QByteArray> &conflicts() const { return m_conflicts; }
    /// Accepts the kernel's ESTALE for paths our view flags as lower conflicts: drops those
    /// paths (and what is below them) from `ours` where the kernel refused them, and forgets
    /// those refusals.
    void reconcileConflicts(TreeSnapshot &ours);

    /// Forgets file contents (a view read from layer tars has no file on disk to hash).
    void dropContent()
    {
        for (Record &r : m_records)
            r.contentHash.clear();
    }

    /// Human-readable differences, empty when equal ("kernel" is `this`).
    [[nodiscard]] QString diff(const TreeSnapshot &engine) const;
    [[nodiscard]] QString dump() const;

private:
    void walk(const QByteArray &abs, const QByteArray &rel);

    QMap<QByteArray, Record> m_records;
    QStringList m_errors;
    QMap<QByteArray, int> m_lookupErrors;
    QSet<QByteArray> m_conflicts;
    int m_listedButMissing = 0;
};

} // namespace strata::test
