// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/builder/optionrules.h"

#include "core/engine/mountrefusal.h"
#include "core/mount/optioncatalog.h"
#include "core/stack/overlayoptions.h"

#include <QCoreApplication>

namespace strata
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("OptionRules", text);
}

QString keyOf(const QString &option)
{
    return option.section(QLatin1Char('='), 0, 0);
}

// "KEY=VALUE", or "KEY" for a flag.
QString spelled(const QString &key, const QString &value)
{
    const OptionCatalog::Entry *e = OptionCatalog::find(key);
    return e && e->isFlag() ? key : key + QLatin1Char('=') + value;
}

bool given(const QStringList &options, const QString &option)
{
    return options.contains(option);
}

// Why the kernel refuses a pair, in plain words (the pairs MountRefusal knows).
QString dependency(const QString &pair)
{
    if (pair.startsWith(QLatin1String("metacopy=on,redirect_dir")))
        return tr("metacopy=on needs redirect_dir=on");
    if (pair == QLatin1String("nfs_export=on,index=off"))
        return tr("nfs_export=on needs index=on");
    if (pair == QLatin1String("nfs_export=on,metacopy=on"))
        return tr("nfs_export=on and metacopy=on exclude each other");
    return tr("userxattr allows neither metacopy nor redirects");
}

} // namespace

QJsonObject OptionRules::json(const QStringList &options)
{
    QJsonObject o;
    for (const QString &option : options) {
        if (!option.contains(QLatin1Char('=')))
            o.insert(option, true);
        else
            o.insert(keyOf(option), option.section(QLatin1Char('='), 1));
    }
    return o;
}

QString OptionRules::value(const QStringList &options, const QString &key)
{
    for (const QString &o : options) {
        if (keyOf(o) == key)
            return o.contains(QLatin1Char('=')) ? o.section(QLatin1Char('='), 1) : QStringLiteral("on");
    }
    return {};
}

OptionRules::Change OptionRules::set(const QStringList &options, const QString &key, const QString &value)
{
    Change c;
    for (const QString &o : options) {
        if (keyOf(o) != key)
            c.options << o;
    }
    if (value.isEmpty())
        return c;
    c.options << spelled(key, value);
    if (auto known = OverlayOptions::fromJson(json(c.options), QStringLiteral("options")))
        c.options = known->mountOptionList();
    auto force = [&c](const QString &k, const QString &v, const QString &note) {
        const QString now = OptionRules::value(c.options, k);
        if (now.isEmpty() || now == v)
            return;
        c = {set(c.options, k, v).options, note};
    };
    if (key == QLatin1String("metacopy") && value == QLatin1String("on")) {
        const QString r = OptionRules::value(c.options, QStringLiteral("redirect_dir"));
        if (!r.isEmpty() && r != QLatin1String("on") && !given(c.options, QStringLiteral("userxattr")))
            force(QStringLiteral("redirect_dir"),
                QStringLiteral("on"),
                tr("metacopy=on needs redirect_dir=on: redirect_dir is now on"));
    }
    if (key == QLatin1String("nfs_export") && value == QLatin1String("on"))
        force(QStringLiteral("index"), QStringLiteral("on"), tr("nfs_export=on needs index=on: index is now on"));
    return c;
}

QString OptionRules::conflict(const QStringList &options,
    const QString &key,
    const QString &value,
    bool writable,
    const OptionProbe::Support &support)
{
    if (key == QLatin1String("volatile") && !writable)
        return tr("volatile concerns the upper layer: this overlay is read-only");
    // The options as they would be, dependencies applied, against the pairs the kernel
    // refuses (the engine's model of ovl_fs_params_verify()).
    auto would = OverlayOptions::fromJson(json(set(options, key, value).options), QStringLiteral("options"));
    if (!would)
        return would.error().message;
    const QString pair = MountRefusal::conflictingOptions(*would);
    if (pair.isEmpty())
        return {};
    const OptionProbe::Answer *asked = support.find(pair);
    if (asked && asked->accepted)
        return {}; // this kernel takes it after all
    const QString kernel
        = support.kernelRelease.isEmpty() ? tr("the kernel") : tr("this kernel (%1)").arg(support.kernelRelease);
    if (asked)
        return tr("%1: %2 refuses %3: %4").arg(dependency(pair), kernel, pair, asked->reason);
    return tr("%1: the kernel refuses %2").arg(dependency(pair), pair);
}

QString OptionRules::dataOnlyRefusal(const OptionProbe::Support &support)
{
    const QString why = support.refusal(QStringLiteral("datadir+"));
    if (why.isEmpty())
        return {};
    const QString kernel = support.kernelRelease.isEmpty() ? tr("this kernel") : support.kernelRelease;
    return tr("the running kernel (%1) does not take datadir+: %2").arg(kernel, why);
}

QString OptionRules::unsupported(const QString &key, const QString &value, const OptionProbe::Support &support)
{
    const OptionCatalog::Entry *e = OptionCatalog::find(key);
    const QString option = e && e->isFlag() ? key : key + QLatin1Char('=') + value;
    const QString kernel = support.kernelRelease.isEmpty() ? tr("this kernel") : support.kernelRelease;
    if (const QString why = support.refusal(option); !why.isEmpty())
        return tr("the running kernel (%1) does not take %2: %3").arg(kernel, option, why);
    // Not an option of the whole overlay: each lower is marked in the list.
    if (key == QLatin1String("datadir+"))
        return tr("data-only lowers are chosen per lower: tick \"data only\" on a lower in the list");
    if (e && !e->inWorkspace) {
        return support.find(option)
            ? tr("the kernel (%1) takes it, but a workspace file cannot hold %2 yet").arg(kernel, key)
            : tr("a workspace file cannot hold %1 yet").arg(key);
    }
    return {};
}

} // namespace strata
