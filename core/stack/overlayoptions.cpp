// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayoptions.h"

#include "core/util/jsonstring.h"

#include <QFile>
#include <QJsonArray>

#include <cerrno>

namespace strata
{

namespace
{

struct StringOption {
    const char *key;
    QString OverlayOptions::*member;
    QStringList allowed;
};

const QList<StringOption> &stringOptions()
{
    static const QList<StringOption> options = {
        {"redirect_dir",
            &OverlayOptions::redirectDir,
            {QStringLiteral("on"), QStringLiteral("follow"), QStringLiteral("nofollow"), QStringLiteral("off")}},
        {"index", &OverlayOptions::index, {QStringLiteral("on"), QStringLiteral("off")}},
        {"metacopy", &OverlayOptions::metacopy, {QStringLiteral("on"), QStringLiteral("off")}},
        {"xino", &OverlayOptions::xino, {QStringLiteral("on"), QStringLiteral("off"), QStringLiteral("auto")}},
        {"uuid",
            &OverlayOptions::uuid,
            {QStringLiteral("on"), QStringLiteral("off"), QStringLiteral("auto"), QStringLiteral("null")}},
        {"nfs_export", &OverlayOptions::nfsExport, {QStringLiteral("on"), QStringLiteral("off")}},
    };
    return options;
}

} // namespace

Result<OverlayOptions> OverlayOptions::fromJson(const QJsonValue &value, const QString &keyPath)
{
    OverlayOptions o;
    if (value.isUndefined() || value.isNull())
        return o;
    if (!value.isObject())
        return Error {EINVAL, QStringLiteral("%1: expected an object, got %2").arg(keyPath, jsonTypeName(value))};
    const QJsonObject obj = value.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const QString key = it.key();
        const QString where = keyPath + QLatin1Char('.') + key;
        bool known = false;
        for (const StringOption &so : stringOptions()) {
            if (key != QLatin1String(so.key))
                continue;
            known = true;
            // Accept booleans for on/off options: people write "index": false.
            QString v;
            if (it.value().isBool() && so.allowed.contains(QStringLiteral("on")))
                v = it.value().toBool() ? QStringLiteral("on") : QStringLiteral("off");
            else if (it.value().isString())
                v = it.value().toString();
            else
                return Error {EINVAL,
                    QStringLiteral("%1: expected one of %2, got %3")
                        .arg(where, so.allowed.join(QStringLiteral(", ")), jsonTypeName(it.value()))};
            if (!so.allowed.contains(v))
                return Error {EINVAL,
                    QStringLiteral("%1: \"%2\" is not a valid value; expected one of %3")
                        .arg(where, v, so.allowed.join(QStringLiteral(", ")))};
            o.*(so.member) = v;
        }
        if (known)
            continue;
        if (key == QLatin1String("userxattr") || key == QLatin1String("volatile")) {
            if (!it.value().isBool())
                return Error {
                    EINVAL, QStringLiteral("%1: expected true or false, got %2").arg(where, jsonTypeName(it.value()))};
            (key == QLatin1String("userxattr") ? o.userxattr : o.volatileMount) = it.value().toBool();
            continue;
        }
        QStringList all;
        for (const StringOption &so : stringOptions())
            all << QLatin1String(so.key);
        all << QStringLiteral("userxattr") << QStringLiteral("volatile");
        return Error {EINVAL,
            QStringLiteral("%1: unknown overlay option; known options are %2")
                .arg(where, all.join(QStringLiteral(", ")))};
    }
    return o;
}

QJsonObject OverlayOptions::toJson() const
{
    QJsonObject obj;
    for (const StringOption &so : stringOptions()) {
        const QString &v = this->*(so.member);
        if (!v.isEmpty())
            obj.insert(QLatin1String(so.key), v);
    }
    if (userxattr)
        obj.insert(QStringLiteral("userxattr"), true);
    if (volatileMount)
        obj.insert(QStringLiteral("volatile"), true);
    return obj;
}

QStringList OverlayOptions::mountOptionList() const
{
    QStringList out;
    for (const StringOption &so : stringOptions()) {
        const QString &v = this->*(so.member);
        if (!v.isEmpty())
            out << QLatin1String(so.key) + QLatin1Char('=') + v;
    }
    if (userxattr)
        out << QStringLiteral("userxattr");
    if (volatileMount)
        out << QStringLiteral("volatile");
    return out;
}

bool OverlayOptions::moduleRedirectAlwaysFollow()
{
    QFile f(QStringLiteral("/sys/module/overlay/parameters/redirect_always_follow"));
    if (!f.open(QIODevice::ReadOnly))
        return true; // the upstream Kconfig default
    return f.readAll().trimmed() != "N";
}

MergeOptions OverlayOptions::mergeOptions() const
{
    MergeOptions m;
    m.xattrs = userxattr ? XattrNamespace::User : XattrNamespace::Trusted;
    if (userxattr || redirectDir == QLatin1String("nofollow"))
        m.followRedirects = false;
    else if (redirectDir == QLatin1String("on") || redirectDir == QLatin1String("follow"))
        m.followRedirects = true;
    else
        m.followRedirects = moduleRedirectAlwaysFollow();
    m.metacopy = metacopy == QLatin1String("on");
    return m;
}

} // namespace strata
