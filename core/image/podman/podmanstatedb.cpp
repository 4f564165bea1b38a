// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmanstatedb.h"

#include "core/image/containerd/boltfile.h"
#include "core/image/storefiles.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <cerrno>

namespace strata
{

QString PodmanStateDb::path(const QString &root)
{
    return root + QStringLiteral("/libpod/bolt_state.db");
}

QString PodmanStateDb::statusWord(int state)
{
    // ContainerStateUnknown, Configured, Created, Running, Stopped, Paused, Exited, Removing,
    // Stopping (libpod/define/containerstate.go); a configured one is "created" too.
    static constexpr std::array<const char *, 9> Words {
        "unknown", "created", "created", "running", "stopped", "paused", "exited", "removing", "stopping"};
    return QLatin1String(state >= 0 && state < int(Words.size()) ? Words.at(std::size_t(state)) : Words.front());
}

QHash<QString, PodmanStateDb::State> PodmanStateDb::read(const QString &root, StoreProblems &problems)
{
    QHash<QString, State> states;
    const QString file = path(root);
    if (StoreFiles::lstatError(file) == ENOENT)
        return states;
    auto db = BoltFile::read(file);
    if (!db) {
        problems.push_back({file, db.error().message});
        return states;
    }
    const BoltBucket *ctrs = db->root.bucket("ctr");
    const BoltBucket *exitCodes = db->root.bucket("exit-code");
    if (!ctrs)
        return states;
    for (const BoltBucket &c : ctrs->buckets) {
        const QJsonObject o = QJsonDocument::fromJson(c.value("state")).object();
        if (o.isEmpty())
            continue;
        State s;
        s.status = statusWord(o.value(QLatin1String("state")).toInt());
        s.exitCode = o.value(QLatin1String("exitCode")).toInt();
        if (s.exitCode == 0 && exitCodes)
            s.exitCode = exitCodes->value(c.name).toInt();
        states.insert(QString::fromUtf8(c.name), s);
    }
    return states;
}

} // namespace strata
