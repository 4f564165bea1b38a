// SPDX-License-Identifier: GPL-2.0-or-later
#include "problemreport.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QtGlobal>

#include <unistd.h>

namespace strata
{

namespace
{
QString firstLine(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readLine(4096)).trimmed();
}
} // namespace

QString ProblemReport::distribution(const QString &root)
{
    for (const QString &rel : {QStringLiteral("etc/os-release"), QStringLiteral("usr/lib/os-release")}) {
        QFile f(QDir(root).filePath(rel));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd()) {
            const QString line = QString::fromUtf8(f.readLine(4096)).trimmed();
            if (!line.startsWith(QLatin1String("PRETTY_NAME=")))
                continue;
            QString value = line.mid(12);
            if (value.size() >= 2 && (value.startsWith(QLatin1Char('"')) || value.startsWith(QLatin1Char('\''))))
                value = value.mid(1, value.size() - 2);
            return value;
        }
    }
    return QStringLiteral("unknown");
}

QString ProblemReport::overlayDefaults(const QString &dir)
{
    QStringList out;
    const QDir d(dir);
    for (const QString &name : d.entryList(QDir::Files, QDir::Name))
        out << name + QLatin1Char('=') + firstLine(d.filePath(name));
    return out.isEmpty() ? QStringLiteral("(the overlay module is not loaded)") : out.join(QLatin1Char(' '));
}

QString ProblemReport::text(const Context &context, const BackendPolicy &policy)
{
    QStringList lines;
    lines
        << QStringLiteral("Stratascope %1").arg(QStringLiteral(STRATA_VERSION))
        << QStringLiteral("Qt %1 (built with %2)").arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
        << QStringLiteral("kernel %1 %2 (%3)")
               .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion(), QSysInfo::currentCpuArchitecture())
        << QStringLiteral("distribution %1").arg(distribution())
        << QStringLiteral("user %1").arg(
               policy.facts().root ? QStringLiteral("root") : QStringLiteral("uid %1").arg(::geteuid()))
        << QStringLiteral("overlay module defaults %1").arg(overlayDefaults());
    if (!context.platform.isEmpty())
        lines << QStringLiteral("display %1").arg(context.platform);
    lines << QString() << QStringLiteral("backends:");
    for (const BackendPolicy::Info &b : policy.backends()) {
        if (b.backend == Backend::Auto)
            continue;
        lines << QStringLiteral("  %1: %2")
                     .arg(b.name, b.usable ? QStringLiteral("works") : QStringLiteral("no — ") + b.problem);
    }
    lines << QString();
    lines << QStringLiteral("workspace %1")
                 .arg(context.workspace.isEmpty() ? QStringLiteral("(none)") : context.workspace);
    if (!context.overlay.isEmpty())
        lines << QStringLiteral("overlay %1").arg(context.overlay);
    if (!context.backend.isEmpty())
        lines << QStringLiteral("edits through %1").arg(context.backend);
    lines << QString() << QStringLiteral("What I did:") << QString() << QStringLiteral("What I expected:") << QString()
          << QStringLiteral("What happened instead:") << QString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace strata
