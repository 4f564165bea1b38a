// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountregistry.h"

#include "core/mount/mountinfo.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace strata
{

MountRegistry::MountRegistry(const QString &directory) : m_dir(directory)
{
}

QString MountRegistry::defaultDirectory()
{
    const QString env = qEnvironmentVariable("STRATA_STATE_DIR");
    if (!env.isEmpty())
        return env;
    if (::geteuid() == 0)
        return QStringLiteral("/run/stratascope");
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (!runtime.isEmpty())
        return runtime + QStringLiteral("/stratascope");
    return QStringLiteral("/tmp/stratascope-%1").arg(::geteuid());
}

QString MountRegistry::currentMountNamespace()
{
    return QFile::symLinkTarget(QStringLiteral("/proc/self/ns/mnt")).section(QLatin1Char('/'), -1);
}

QString MountRegistry::filePath() const
{
    return m_dir + QStringLiteral("/mounts.json");
}

Result<QList<MountRegistry::Record>> MountRegistry::records() const
{
    QList<Record> out;
    QFile f(filePath());
    if (!f.exists())
        return out;
    if (!f.open(QIODevice::ReadOnly))
        return Error {EACCES, QStringLiteral("%1: %2").arg(filePath(), f.errorString())};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    for (const QJsonValue v : doc.object().value(QStringLiteral("mounts")).toArray()) {
        const QJsonObject o = v.toObject();
        out << Record {o.value(QStringLiteral("mountpoint")).toString(),
            o.value(QStringLiteral("workspace")).toString(),
            o.value(QStringLiteral("overlay")).toString(),
            o.value(QStringLiteral("backend")).toString(),
            o.value(QStringLiteral("pid")).toInteger(),
            o.value(QStringLiteral("mount_namespace")).toString()};
    }
    return out;
}

Status MountRegistry::write(const QList<Record> &records) const
{
    QJsonArray arr;
    for (const Record &r : records) {
        arr.append(QJsonObject {{QStringLiteral("mountpoint"), r.mountPoint},
            {QStringLiteral("workspace"), r.workspace},
            {QStringLiteral("overlay"), r.overlay},
            {QStringLiteral("backend"), r.backend},
            {QStringLiteral("pid"), r.pid},
            {QStringLiteral("mount_namespace"), r.mountNamespace}});
    }
    QSaveFile f(filePath());
    if (!f.open(QIODevice::WriteOnly))
        return Error {EACCES, QStringLiteral("%1: %2").arg(filePath(), f.errorString())};
    f.write(QJsonDocument(QJsonObject {{QStringLiteral("mounts"), arr}}).toJson());
    if (!f.commit())
        return Error {EIO, QStringLiteral("%1: %2").arg(filePath(), f.errorString())};
    return {};
}

namespace
{
// Serialises read-modify-write of the registry between processes.
class Locked
{
public:
    explicit Locked(const QString &dir) : m_lock(dir + QStringLiteral("/mounts.lock"))
    {
        QDir().mkpath(dir);
        m_ok = m_lock.tryLock(5000);
    }
    [[nodiscard]] bool ok() const { return m_ok; }

private:
    QLockFile m_lock;
    bool m_ok = false;
};
} // namespace

Status MountRegistry::update(const std::function<Status(QList<Record> &)> &change)
{
    Locked lock(m_dir);
    if (!lock.ok())
        return Error {EAGAIN, QStringLiteral("%1 is locked by another process").arg(filePath())};
    auto current = records();
    if (!current)
        return current.error();
    QList<Record> list = *current;
    if (Status changed = change(list); !changed)
        return changed;
    return write(list);
}

Status MountRegistry::add(const Record &record)
{
    return update([&record](QList<Record> &list) {
        list.removeIf([&](const Record &r) {
            return r.mountPoint == record.mountPoint && r.mountNamespace == record.mountNamespace;
        });
        list << record;
        return Status();
    });
}

Status MountRegistry::remove(const QString &mountPoint)
{
    const QString ns = currentMountNamespace();
    return update([&](QList<Record> &list) {
        list.removeIf([&](const Record &r) { return r.mountPoint == mountPoint && r.mountNamespace == ns; });
        return Status();
    });
}

Result<QList<MountRegistry::Record>> MountRegistry::stale()
{
    QList<Record> stale;
    const Status s = update([&stale](QList<Record> &list) -> Status {
        auto mounts = MountInfo::read();
        if (!mounts)
            return mounts.error();
        const QString ns = currentMountNamespace();
        QList<Record> keep;
        for (const Record &r : std::as_const(list)) {
            if (r.mountNamespace != ns) {
                keep << r;
                continue;
            }
            const auto m = MountInfo::find(*mounts, r.mountPoint);
            if (!m || !m->isAnyOverlay())
                continue; // already gone: forget it
            const bool ownerAlive = r.pid > 0 && (::kill(static_cast<pid_t>(r.pid), 0) == 0 || errno == EPERM);
            if (r.pid > 0 && !ownerAlive)
                stale << r;
            keep << r;
        }
        list = keep;
        return {};
    });
    if (!s.ok())
        return s.error();
    return stale;
}

} // namespace strata
