// SPDX-License-Identifier: GPL-2.0-or-later
#include "files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

namespace strata::test
{

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QString fixturesDir()
{
    const QString env = qEnvironmentVariable("STRATA_FIXTURES");
    if (!env.isEmpty())
        return env;
    return QDir::cleanPath(qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/../shared/fixtures"));
}

QStringList generatedArchives()
{
    QStringList out;
    for (const char *name : {"blog-new-build.docker.tar",
             "whiteout-demo.docker.tar",
             "whiteout-demo.oci-gzip.tar",
             "whiteout-demo.oci-zstd.tar"})
        out << fixturesDir() + QStringLiteral("/generated/") + QLatin1String(name);
    return out;
}

void addGeneratedArchiveRows()
{
    QTest::addColumn<QString>("archive");
    for (const QString &archive : generatedArchives())
        QTest::newRow(qPrintable(QFileInfo(archive).fileName())) << archive;
}

void startCli(QProcess &p, const QStringList &args, int asUid)
{
    const QString cli = qEnvironmentVariable("STRATA_CLI");
    if (asUid < 0) {
        p.start(cli, args);
        return;
    }
    p.start(QStringLiteral("setpriv"),
        QStringList {QStringLiteral("--reuid=%1").arg(asUid),
            QStringLiteral("--regid=%1").arg(asUid),
            QStringLiteral("--clear-groups"),
            cli}
            + args);
}

} // namespace strata::test
