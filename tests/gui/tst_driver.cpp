// SPDX-License-Identifier: GPL-2.0-or-later
// The scripted driver behind stratascope --edit / --replay / --screenshot / --quit, run as
// users run it: the real binary, offscreen.
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <utility>

using namespace strata;

namespace
{
struct Run {
    int exitCode = -1;
    QString err;
};

// `platform`: the offscreen platform, or one with its options ("offscreen:configfile=F").
Run stratascope(const QStringList &args,
    const QString &platform = QStringLiteral("offscreen"),
    const QList<std::pair<QString, QString>> &extraEnv = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
    for (const auto &[name, value] : extraEnv)
        env.insert(name, value);
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("STRATA_GUI"), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
}

bool isWhiteout(const QString &path)
{
    struct stat st {
    };
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0;
}
} // namespace

class TestDriver final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editsInOrder_data()
    {
        // file: in upper_layer/base_image
        // content: empty: a whiteout
        strata::test::addColumns<QStringList, QString, QByteArray>("edits", "file", "content");
        QTest::newRow("write: the words after the path are the text")
            << QStringList {QStringLiteral("write /base_image/notes.txt two words")} << QStringLiteral("notes.txt")
            << QByteArray("two words\n");
        QTest::newRow("quoted path with a space") << QStringList {QStringLiteral("write '/base_image/new file.txt' hi")}
                                                  << QStringLiteral("new file.txt") << QByteArray("hi\n");
        QTest::newRow("two edits, in order") << QStringList {QStringLiteral("append /base_image/common.txt more"),
            QStringLiteral("rm /base_image/common.txt")}
                                             << QStringLiteral("common.txt") << QByteArray();
    }

    void editsInOrder()
    {
        QFETCH(QStringList, edits);
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("blog"));
        QVERIFY(Scenario::create(QStringLiteral("blog"), ws));
        const QString shot = dir.filePath(QStringLiteral("shot.png"));
        QStringList args {ws, QStringLiteral("--backend"), QStringLiteral("engine")};
        for (const QString &e : edits)
            args << QStringLiteral("--edit") << e;
        args << QStringLiteral("--screenshot") << shot << QStringLiteral("--quit");
        const Run r = stratascope(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString path = ws + QStringLiteral("/upper_layer/base_image/") + file;
        if (content.isEmpty()) {
            QVERIFY(isWhiteout(path));
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), content);
        }
        QImage image(shot);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
    }

    void replayToTheEnd()
    {
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("end.png"));
        const Run r = stratascope({QStringLiteral("--replay"),
            QStringLiteral("blog"),
            QStringLiteral("--backend"),
            QStringLiteral("engine"),
            QStringLiteral("--screenshot"),
            shot,
            QStringLiteral("--quit")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QImage(shot).isNull());
    }

    void lessonToStep_data()
    {
        // note: what stderr says about the shot (empty: nothing)
        strata::test::addColumns<QString, bool, QString>("step", "mid", "note");
        QTest::newRow("after step 1, narration only") << QStringLiteral("1") << false << QString();
        QTest::newRow("after step 4, the whiteout") << QStringLiteral("4") << false << QString();
        QTest::newRow("step 5 half-way, the copy-up") << QStringLiteral("5") << true << QString();
        QTest::newRow("mid of a step without an edit")
            << QStringLiteral("1") << true << QStringLiteral("step 1 has no animation");
    }

    // --lesson L --to-step N [--mid]: a shot of one step, after it or half-way through it.
    void lessonToStep()
    {
        QFETCH(QString, step);
        QFETCH(bool, mid);
        QFETCH(QString, note);
        QTemporaryDir dir;
        const QString shot = dir.filePath(QStringLiteral("step.png"));
        QStringList args {QStringLiteral("--lesson"),
            QStringLiteral("blog"),
            QStringLiteral("--backend"),
            QStringLiteral("engine"),
            QStringLiteral("--to-step"),
            step,
            QStringLiteral("--screenshot"),
            shot,
            QStringLiteral("--quit")};
        if (mid)
            args << QStringLiteral("--mid");
        const Run r = stratascope(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QImage(shot).isNull());
        if (note.isEmpty())
            QVERIFY2(!r.err.contains(QLatin1String("no animation")), qPrintable(r.err));
        else
            QVERIFY2(r.err.contains(note), qPrintable(r.err));
    }

    void windowFitsTheScreen_data()
    {
        strata::test::addColumns<QSize, int>("screen", "scale");
        QTest::newRow("1280x720") << QSize(1280, 720) << 1;
        QTest::newRow("1920x1080") << QSize(1920, 1080) << 1;
        QTest::newRow("1920x1080 at QT_SCALE_FACTOR=2") << QSize(1920, 1080) << 2; // was 2560x1520
    }

    // The window never opens larger than its screen, whatever the scale factor.
    void windowFitsTheScreen()
    {
        QFETCH(QSize, screen);
        QFETCH(int, scale);
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("screen.json"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("{\"screens\": [{\"name\": \"projector\", \"x\": 0, \"y\": 0, \"width\": %1, "
                               "\"height\": %2, \"logicalDpi\": 96, \"logicalBaseDpi\": 96, \"dpr\": 1}]}")
                    .arg(screen.width())
                    .arg(screen.height())
                    .toUtf8());
        f.close();
        const QString shot = dir.filePath(QStringLiteral("window.png"));
        const Run r = stratascope({QStringLiteral("--lesson"),
                                      QStringLiteral("blog"),
                                      QStringLiteral("--screenshot"),
                                      shot,
                                      QStringLiteral("--quit")},
            QStringLiteral("offscreen:configfile=") + config,
            {{QStringLiteral("QT_SCALE_FACTOR"), QString::number(scale)}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QImage image(shot);
        QVERIFY(!image.isNull());
        // The grab is in device pixels, as the screen's size is.
        QVERIFY2(image.width() <= screen.width() && image.height() <= screen.height(),
            qPrintable(QStringLiteral("%1x%2 on a %3x%4 screen")
                           .arg(image.width())
                           .arg(image.height())
                           .arg(screen.width())
                           .arg(screen.height())));
        QVERIFY(image.width() >= screen.width() / 2); // and uses it
    }

    void badArguments_data()
    {
        strata::test::addColumns<QStringList, QString>("args", "message");
        QTest::newRow("unknown verb") << QStringList {QStringLiteral("--edit"), QStringLiteral("fly /x")}
                                      << QStringLiteral("unknown verb");
        QTest::newRow("wrong word count")
            << QStringList {QStringLiteral("--edit"), QStringLiteral("mv /a")} << QStringLiteral("usage: mv SRC DST");
        QTest::newRow("unknown backend") << QStringList {QStringLiteral("--backend"), QStringLiteral("magic")}
                                         << QStringLiteral("unknown backend");
        QTest::newRow("step 0") << QStringList {QStringLiteral("--lesson"),
            QStringLiteral("blog"),
            QStringLiteral("--to-step"),
            QStringLiteral("0")} << QStringLiteral("1 to 11, not \"0\"");
        QTest::newRow("step past the end") << QStringList {QStringLiteral("--lesson"),
            QStringLiteral("blog"),
            QStringLiteral("--to-step"),
            QStringLiteral("12")} << QStringLiteral("1 to 11, not \"12\"");
        QTest::newRow("step not a number") << QStringList {QStringLiteral("--lesson"),
            QStringLiteral("blog"),
            QStringLiteral("--to-step"),
            QStringLiteral("2.5")} << QStringLiteral("not \"2.5\"");
        QTest::newRow("to-step without a lesson")
            << QStringList {QStringLiteral("--to-step"), QStringLiteral("2")} << QStringLiteral("needs --lesson");
        QTest::newRow("to-step on a scenario") << QStringList {QStringLiteral("--lesson"),
            QStringLiteral("stacked"),
            QStringLiteral("--to-step"),
            QStringLiteral("2")} << QStringLiteral("needs --lesson");
        QTest::newRow("mid without to-step") << QStringList {QStringLiteral("--mid")} << QStringLiteral("--mid needs");
        QTest::newRow("bad delay") << QStringList {QStringLiteral("--screenshot-delay"), QStringLiteral("soon")}
                                   << QStringLiteral("milliseconds");
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = stratascope(args << QStringLiteral("--quit"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestDriver)
#include "tst_driver.moc"
