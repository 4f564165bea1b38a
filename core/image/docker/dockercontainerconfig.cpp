// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercontainerconfig.h"

#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"

#include <QJsonObject>

#include <cerrno>

namespace strata
{

void DockerContainerConfig::read(
    const QString &root, DockerContainer &c, StoreProblems &problems, const QString &driverWanted)
{
    const QString config = root + QStringLiteral("/containers/") + c.id + QStringLiteral("/config.v2.json");
    auto obj = MetadataFile::readObject(config);
    if (!obj) {
        c.error = obj.error().message;
        StoreFiles::report(problems, obj.error());
        return;
    }
    auto field = [](const QJsonObject &o, const char *key) {
        return o.value(QLatin1String(key)).toString();
    };
    c.name = field(*obj, "Name");
    if (c.name.startsWith(QLatin1Char('/')))
        c.name = c.name.mid(1);
    c.imageId = field(*obj, "Image");
    c.created = field(*obj, "Created");
    const QJsonObject cfg = obj->value(QStringLiteral("Config")).toObject();
    c.image = field(cfg, "Image");
    c.user = field(cfg, "User");
    const QString driver = field(*obj, "Driver");
    if (!driver.isEmpty() && driver != driverWanted) {
        const Error e {EINVAL, QStringLiteral("%1: Driver is \"%2\", not %3").arg(config, driver, driverWanted)};
        c.problems << e.message;
        StoreFiles::report(problems, e);
    }
    const QJsonObject state = obj->value(QStringLiteral("State")).toObject();
    c.running = state.value(QStringLiteral("Running")).toBool();
    c.exitCode = state.value(QStringLiteral("ExitCode")).toInt();
    c.status = status(state, c.running);
}

QString DockerContainerConfig::status(const QJsonObject &state, bool running)
{
    if (state.value(QStringLiteral("Dead")).toBool())
        return QStringLiteral("dead");
    if (state.value(QStringLiteral("Restarting")).toBool())
        return QStringLiteral("restarting");
    if (state.value(QStringLiteral("Paused")).toBool())
        return QStringLiteral("paused");
    if (running)
        return QStringLiteral("running");
    if (state.value(QStringLiteral("StartedAt")).toString().startsWith(QLatin1String("0001-")))
        return QStringLiteral("created");
    return QStringLiteral("exited");
}

} // namespace strata
