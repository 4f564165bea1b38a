// SPDX-License-Identifier: GPL-2.0-or-later
// ProblemReport: what Help → Report a Problem… says about the machine, read from files that
// the tests write (os-release, the overlay module's parameters) and from the real machine.
#include "core/session/problemreport.h"
#include "tests/support/datatable.h"

#include <QDir>
#include <QFile>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;

namespace
{
bool put(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}
} // namespace

class TestProblemReport final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distribution_data()
    {
        test::addColumns<QString, QByteArray, QString>("file", "content", "expected");
        QTest::newRow("quoted") << "etc/os-release"
                                << QByteArray("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                                << "Debian GNU/Linux 12 (bookworm)";
        QTest::newRow("single quotes") << "etc/os-release" << QByteArray("PRETTY_NAME='Alpine Linux v3.20'\n")
                                       << "Alpine Linux v3.20";
        QTest::newRow("unquoted") << "etc/os-release" << QByteArray("ID=arch\nPRETTY_NAME=Arch\n") << "Arch";
        QTest::newRow("only usr/lib") << "usr/lib/os-release" << QByteArray("PRETTY_NAME=\"Fedora 41\"\n")
                                      << "Fedora 41";
        QTest::newRow("no PRETTY_NAME") << "etc/os-release" << QByteArray("NAME=x\n") << "unknown";
        QTest::newRow("no file") << "" << QByteArray() << "unknown";
    }

    void distribution()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir root;
        if (!file.isEmpty())
            QVERIFY(put(root.filePath(file), content));
        QCOMPARE(ProblemReport::distribution(root.path()), expected);
    }

    void overlayDefaults_data()
    {
        test::addColumns<QStringList, QString>("parameters", "expected");
        QTest::newRow("module loaded") << QStringList {QStringLiteral("redirect_dir=N"),
            QStringLiteral("index=N"),
            QStringLiteral("metacopy=N")}
                                       << "index=N metacopy=N redirect_dir=N";
        QTest::newRow("not loaded") << QStringList {} << "(the overlay module is not loaded)";
    }

    void overlayDefaults()
    {
        QFETCH(QStringList, parameters);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString params = parameters.isEmpty() ? dir.filePath(QStringLiteral("absent")) : dir.path();
        for (const QString &p : parameters)
            QVERIFY(
                put(dir.filePath(p.section(QLatin1Char('='), 0, 0)), p.section(QLatin1Char('='), 1).toUtf8() + '\n'));
        QCOMPARE(ProblemReport::overlayDefaults(params), expected);
    }

    // This machine, as it is: the version, the kernel, a line per backend, and the context.
    void thisMachine()
    {
        ProblemReport::Context c;
        c.workspace = QStringLiteral("/tmp/ws/stratascope.json");
        c.overlay = QStringLiteral("overlay_layer");
        c.backend = QStringLiteral("userspace engine (no mount)");
        const QString text = ProblemReport::text(c);
        for (const QString &want : {QString(QStringLiteral("Stratascope ") + QStringLiteral(STRATA_VERSION)),
                 QSysInfo::kernelVersion(),
                 QString(QStringLiteral("workspace ") + c.workspace),
                 QString(QStringLiteral("overlay ") + c.overlay),
                 QString(QStringLiteral("edits through ") + c.backend),
                 QStringLiteral("  engine: works"),
                 QStringLiteral("  kernel: "),
                 QStringLiteral("  userns: "),
                 QStringLiteral("  fuse: ")})
            QVERIFY2(text.contains(want), qPrintable(want + QStringLiteral(" not in:\n") + text));
        QVERIFY(!text.contains(QLatin1String("display "))); // the core knows no display
    }
};

QTEST_GUILESS_MAIN(TestProblemReport)
#include "tst_problemreport.moc"
