// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdsnapshotdb.h"

#include "core/image/containerd/goencoding.h"

namespace strata
{

QHash<QString, ContainerdSnapshot> ContainerdSnapshotDb::parse(
    const BoltBucket &root, const QString &path, StoreProblems &problems)
{
    QHash<QString, ContainerdSnapshot> out;
    const BoltBucket *snapshots = root.bucketAt({"v1", "snapshots"});
    if (!snapshots) {
        if (root.bucket("v1"))
            problems.push_back({path, QStringLiteral("no v1/snapshots bucket")});
        return out;
    }
    for (const BoltBucket &b : snapshots->buckets) {
        ContainerdSnapshot s;
        s.name = QString::fromUtf8(b.name);
        const auto id = GoEncoding::uvarint(b.value("id"));
        const QByteArray kind = b.value("kind");
        if (!id || kind.size() != 1 || static_cast<unsigned char>(kind[0]) > 4) {
            problems.push_back({path, QStringLiteral("snapshot %1: no valid id or kind").arg(s.name)});
            continue;
        }
        s.id = *id;
        s.kind = static_cast<ContainerdSnapshot::Kind>(static_cast<unsigned char>(kind[0]));
        s.parent = QString::fromUtf8(b.value("parent"));
        s.size = GoEncoding::varint(b.value("size")).value_or(-1);
        s.inodes = GoEncoding::varint(b.value("inodes")).value_or(-1);
        s.created = GoEncoding::time(b.value("createdat")).value_or(QString());
        out.insert(s.name, s);
    }
    return out;
}

} // namespace strata
