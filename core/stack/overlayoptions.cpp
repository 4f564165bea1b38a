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

namespace
{

// The options that are set, in file order: a string option with its value, a flag with an
// empty value.
QList<std::pair<QString, QString>> setOptions(const OverlayOptions &o)
{
    QList<std::pair<QString, QString>> set;
    for (const StringOption &so : stringOptions()) {
        if (!(o.*(so.member)).isEmpty())
            set.append({QLatin1String(so.key), o.*(so.member)});
    }
    if (o.userxattr)
        set.append({QStringLiteral("userxattr"), QString()});
    if (o.volatileMount)
        set.append({QStringLiteral("volatile"), QString()});
    return set;
}

} // namespace

QJsonObject OverlayOptions::toJson() const
{
    QJsonObject obj;
    for (const auto &[key, value] : setOptions(*this))
        obj.insert(key, value.isEmpty() ? QJsonValue(true) : QJsonValue(value));
    return obj;
}

QStringList OverlayOptions::mountOptionList() const
{
    QStringList out;
    for (const auto &[key, value] : setOptions(*this))
        out << (value.isEmpty() ? key : key + QLatin1Char('=') + value);
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
