// SPDX-License-Identifier: GPL-2.0-or-later
// The fuzz targets' inputs replayed in the normal (and the sanitized) build: every crash the
// fuzzer found (tests/fuzz/regressions/<target>/, one row each, kept after the fix) and the
// committed corpus (tests/fuzz/corpus/<target>/). A broken invariant aborts the row.
#include "tests/fuzz/fuzztargets.h"
#include "tests/support/filelimit.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace strata;

namespace
{
QString fuzzDir(const QString &sub)
{
    return QFile::decodeName(qgetenv("STRATA_SOURCE_DIR")) + QStringLiteral("/tests/fuzz/") + sub;
}
} // namespace

class TestFuzzCorpus final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("STRATA_SOURCE_DIR"), "run through ctest: STRATA_SOURCE_DIR names the tree");
        fuzz::quietQt();
    }

    void everyTargetHasACorpus_data()
    {
        QTest::addColumn<QString>("target");
        for (const fuzz::Target &t : fuzz::targets())
            QTest::newRow(t.name) << QString::fromLatin1(t.name);
    }

    void everyTargetHasACorpus()
    {
        QFETCH(QString, target);
        QVERIFY(!QDir(fuzzDir(QStringLiteral("corpus/") + target)).isEmpty(QDir::Files));
    }

    void replay_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("file");
        int k = 0;
        for (const fuzz::Target &t : fuzz::targets()) {
            for (const char *kind : {"regressions", "corpus"}) {
                const QString dir = fuzzDir(QLatin1String(kind) + QLatin1Char('/') + QLatin1String(t.name));
                for (const QString &name : QDir(dir).entryList(QDir::Files, QDir::Name)) {
                    const QString tag
                        = QStringLiteral("%1/%2/%3").arg(QLatin1String(kind), QLatin1String(t.name), name);
                    QTest::newRow(qPrintable(tag)) << k << dir + QLatin1Char('/') + name;
                }
            }
            ++k;
        }
    }

    void replay()
    {
        QFETCH(int, target);
        QFETCH(QString, file);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        fuzz::targets()[static_cast<std::size_t>(target)].run(
            reinterpret_cast<const std::uint8_t *>(data.constData()), static_cast<std::size_t>(data.size()));
    }
};

STRATA_TEST_MAIN(TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
