// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountcommand.h"

namespace strata
{

QString MountCommand::escapeLayerPath(QString p)
{
    p.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    p.replace(QLatin1Char(':'), QStringLiteral("\\:"));
    p.replace(QLatin1Char(','), QStringLiteral("\\,"));
    return p;
}

QString MountCommand::optionString(const OverlaySpec &spec)
{
    QStringList lowers;
    for (const QString &l : spec.lower)
        lowers << escapeLayerPath(l);
    QStringList opts;
    // Data-only layers follow the regular ones after "::" each (lowerdir=a:b::d1::d2).
    QString lowerdir = lowers.join(QLatin1Char(':'));
    for (const QString &d : spec.dataLower)
        lowerdir += QStringLiteral("::") + escapeLayerPath(d);
    opts << QStringLiteral("lowerdir=") + lowerdir;
    if (spec.hasUpper()) {
        opts << QStringLiteral("upperdir=") + escapeLayerPath(spec.upper);
        opts << QStringLiteral("workdir=") + escapeLayerPath(spec.work);
    }
    opts += spec.options.mountOptionList();
    return opts.join(QLatin1Char(','));
}

QString MountCommand::shellQuote(const QString &word)
{
    static const QString safe
        = QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_");
    bool plain = !word.isEmpty();
    for (const QChar c : word) {
        if (!safe.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString q = word;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString MountCommand::fuseCommand(const OverlaySpec &spec)
{
    OverlaySpec layersOnly = spec;
    layersOnly.options = OverlayOptions();
    return QStringLiteral("fuse-overlayfs -o %1 %2")
        .arg(shellQuote(optionString(layersOnly)), shellQuote(spec.mountpoint));
}

QString MountCommand::shellCommand(const OverlaySpec &spec)
{
    return QStringLiteral("mount -t overlay overlay -o %1 %2")
        .arg(shellQuote(optionString(spec)), shellQuote(spec.mountpoint));
}

} // namespace strata
