// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stack/mountcommand.h"
#include "core/stack/scenario.h"
#include "core/stack/workspace.h"
#include "core/util/filename.h"
#include "tests/support/datatable.h"
#include "tests/support/files.h"

#include <QJsonDocument>
#include <QtTest>

using namespace strata;

using strata::test::readFile;
using strata::test::writeFile;

class TestWorkspace final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badFiles_data()
    {
        // expected: a part of the message
        strata::test::addColumns<QByteArray, QString>("json", "expected");

        QTest::newRow("not JSON") << QByteArray("{\n  \"version\": 1,\n  oops\n}")
                                  << QStringLiteral("not valid JSON at line 3");
        QTest::newRow("empty file") << QByteArray("") << QStringLiteral("not valid JSON");
        QTest::newRow("array at top") << QByteArray("[]") << QStringLiteral("expected a JSON object at the top level");
        QTest::newRow("missing version") << QByteArray("{\"overlays\": []}") << QStringLiteral("version: missing");
        QTest::newRow("version is a string") << QByteArray("{\"version\": \"1\", \"overlays\": []}")
                                             << QStringLiteral("version: expected an integer, got a string");
        QTest::newRow("future version") << QByteArray("{\"version\": 2, \"overlays\": []}")
                                        << QStringLiteral("version 2 is not supported");
        QTest::newRow("missing overlays") << QByteArray("{\"version\": 1}") << QStringLiteral("overlays: missing");
        QTest::newRow("overlays not array") << QByteArray("{\"version\": 1, \"overlays\": {}}")
                                            << QStringLiteral("overlays: expected an array, got an object");
        QTest::newRow("no overlays") << QByteArray("{\"version\": 1, \"overlays\": []}")
                                     << QStringLiteral("overlays: is empty");
        QTest::newRow("overlay not object") << QByteArray("{\"version\": 1, \"overlays\": [3]}")
                                            << QStringLiteral("overlays[0]: expected an object, got a number");
        QTest::newRow("missing name") << QByteArray(R"({"version":1,"overlays":[{"lower":["a"],"mountpoint":"m"}]})")
                                      << QStringLiteral("overlays[0].name: missing");
        QTest::newRow("duplicate name") << QByteArray(
            R"({"version":1,"overlays":[{"name":"x","lower":["a","b"],"mountpoint":"m"},{"name":"x","lower":["a","b"],"mountpoint":"n"}]})")
                                        << QStringLiteral("overlays[1].name: \"x\" is used by an earlier overlay");
        QTest::newRow("lower is a string")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":"a","mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].lower: expected an array of paths (top layer first), got a string");
        QTest::newRow("lower empty") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":[],"mountpoint":"m"}]})")
                                     << QStringLiteral("overlays[0].lower: is empty");
        QTest::newRow("lower entry not a string")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["a",7],"mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].lower[1]: expected a non-empty path string, got a number");
        QTest::newRow("upper without work")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["a"],"upper":"u","mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].work: missing");
        QTest::newRow("work equals upper") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a"],"upper":"u","work":"u","mountpoint":"m"}]})")
                                           << QStringLiteral("overlays[0].work: must differ from upper");
        QTest::newRow("work inside upper") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a"],"upper":"u","work":"u/w","mountpoint":"m"}]})")
                                           << QStringLiteral("must not contain each other");
        QTest::newRow("missing mountpoint")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["a","b"]}]})")
            << QStringLiteral("overlays[0].mountpoint: missing");
        QTest::newRow("own mountpoint as lower")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["m","b"],"mountpoint":"m"}]})")
            << QStringLiteral("contains the overlay's own mountpoint");
        QTest::newRow("cycle between overlays") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["mb","x"],"mountpoint":"ma"},{"name":"b","lower":["ma","y"],"mountpoint":"mb"}]})")
                                                << QStringLiteral("cycle");
        QTest::newRow("options not object") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a","b"],"mountpoint":"m","options":"index=on"}]})")
                                            << QStringLiteral("overlays[0].options: expected an object, got a string");
        QTest::newRow("bad option value") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a","b"],"mountpoint":"m","options":{"redirect_dir":"yes"}}]})")
                                          << QStringLiteral(
                                                 "overlays[0].options.redirect_dir: \"yes\" is not a valid value");
        QTest::newRow("unknown option") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a","b"],"mountpoint":"m","options":{"indx":"on"}}]})")
                                        << QStringLiteral("overlays[0].options.indx: unknown overlay option");
        QTest::newRow("userxattr not bool") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["a","b"],"mountpoint":"m","options":{"userxattr":"yes"}}]})")
                                            << QStringLiteral("overlays[0].options.userxattr: expected true or false");
        // The kernel refuses these ("conflicting lowerdir path"); so does the file, naming the key.
        QTest::newRow("two overlays on one mountpoint")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"ua","work":"wa","mountpoint":"m"},)"
                   R"({"name":"b","lower":["l"],"upper":"ub","work":"wb","mountpoint":"./m"}]})")
            << QStringLiteral("overlays[1].mountpoint: is also the mountpoint of "
                              "\"a\" (overlays[0])");
        QTest::newRow("lower equals upper") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["u","l"],"upper":"u","work":"w","mountpoint":"m"}]})")
                                            << QStringLiteral("overlays[0].upper: is also a lower layer (overlays[0]."
                                                              "lower[0])");
        QTest::newRow("work among the lowers") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","w/"],"upper":"u","work":"w","mountpoint":"m"}]})")
                                               << QStringLiteral("overlays[0].work: is also a lower layer");
        QTest::newRow("a lower twice") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","k","./l"],"upper":"u","work":"w","mountpoint":"m"}]})")
                                       << QStringLiteral(
                                              "overlays[0].lower[2]: is the same directory as overlays[0].lower[0]");
        QTest::newRow("[M, M]") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"ua","work":"wa","mountpoint":"M"},)"
            R"({"name":"b","lower":["M","M"],"upper":"ub","work":"wb","mountpoint":"N"}]})")
                                << QStringLiteral(
                                       "overlays[1].lower[1]: is the same directory as overlays[1].lower[0]");
        QTest::newRow("NUL in a name") << QByteArray(
            R"({"version":1,"overlays":[{"name":"a\u0000b","lower":["l","k"],"mountpoint":"m"}]})")
                                       << QStringLiteral("overlays[0].name: contains a NUL character");
        QTest::newRow("a bell in a name")
            << QByteArray(R"({"version":1,"overlays":[{"name":"a\u0007b","lower":["l","k"],"mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].name: contains the control character U+0007");
        QTest::newRow("NUL in a path") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l\u0000x","k"],"mountpoint":"m"}]})")
                                       << QStringLiteral("overlays[0].lower[0]: contains a NUL character");
        QTest::newRow("NUL in base64") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","k"],"mountpoint_base64":"bQBu"}]})")
                                       << QStringLiteral("overlays[0].mountpoint_base64: contains a NUL byte");
        QTest::newRow("not base64") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","k"],"upper_base64":"*?","work":"w","mountpoint":"m"}]})")
                                    << QStringLiteral("overlays[0].upper_base64: is not base64");
        QTest::newRow("lower_base64 not an array")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower_base64":"bA==","mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].lower_base64: expected an array");
        QTest::newRow("too many lowers") << []() -> QByteArray {
            QByteArray lowers;
            for (int i = 0; i < 501; ++i)
                lowers += (i ? ",\"l" : "\"l") + QByteArray::number(i) + "\"";
            return QByteArray(R"({"version":1,"overlays":[{"name":"o","mountpoint":"m","lower":[)") + lowers + "]}]}";
        }() << QStringLiteral("the kernel allows at most 500");
        // Data-only layers: checked as lowers are, and counted with them.
        QTest::newRow("data_lowers is a string")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["l"],"data_lowers":"d","mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].data_lowers: expected an array");
        QTest::newRow("a data-only lower that is a lower") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","k"],"data_lowers":["d","./k"],"mountpoint":"m"}]})")
                                                           << QStringLiteral(
                                                                  "overlays[0].data_lowers[1]: is the same directory "
                                                                  "as overlays[0].lower[1]");
        QTest::newRow("a data-only lower twice")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"o","lower":["l"],"data_lowers":["d","d"],"mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].data_lowers[1]: is the same directory as "
                              "overlays[0].data_lowers[0]");
        QTest::newRow("upper among the data-only lowers")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"o","lower":["l"],"data_lowers":["u"],"upper":"u","work":"w",)"
                   R"("mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].upper: is also a lower layer (overlays[0].data_lowers[0])");
        QTest::newRow("data-only lowers without a lower")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":[],"data_lowers":["d"],"mountpoint":"m"}]})")
            << QStringLiteral("overlays[0].lower: is empty");
        QTest::newRow("another overlay's mountpoint as data")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"a","lower":["l"],"upper":"u","work":"w","mountpoint":"M"},)"
                   R"({"name":"b","lower":["k"],"data_lowers":["M"],"mountpoint":"N"}]})")
            << QStringLiteral("overlays[1].data_lowers[0]: is the mountpoint "
                              "of \"a\"");
        QTest::newRow("too many with the data-only ones") << []() -> QByteArray {
            QByteArray data;
            for (int i = 0; i < 500; ++i)
                data += (i ? ",\"d" : "\"d") + QByteArray::number(i) + "\"";
            return QByteArray(R"({"version":1,"overlays":[{"name":"o","mountpoint":"m","lower":["l"],"data_lowers":[)")
                + data + "]}]}";
        }() << QStringLiteral("makes 501 lower layers with the regular ones; the kernel allows at most 500");
    }

    void badFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const auto ws = Workspace::fromJson(json, QStringLiteral("/base"), QStringLiteral("ws.json"));
        QVERIFY(!ws.ok());
        QVERIFY2(ws.error().message.contains(expected), qPrintable(ws.error().message));
        QVERIFY(ws.error().message.startsWith(QStringLiteral("ws.json: ")));
    }

    void goodFile()
    {
        const QByteArray json = R"({
          "version": 1,
          "comment": "unknown keys are ignored with a warning",
          "overlays": [
            { "name": "overlay_layer", "lower": ["lower_layer"], "upper": "upper_layer",
              "work": "temp_layer", "mountpoint": "overlay_layer",
              "options": { "redirect_dir": "off", "index": false, "metacopy": "off", "xino": "off" } },
            { "name": "overlay_layer_2", "lower": ["overlay_layer"], "upper": "upper_layer_2",
              "work": "temp_layer_2", "mountpoint": "overlay_layer_2" }
          ]
        })";
        auto ws = Workspace::fromJson(json, QStringLiteral("/srv/lesson"), QStringLiteral("ws.json"));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        QCOMPARE(ws->overlays().size(), 2);
        QCOMPARE(ws->warnings().size(), 1);
        QVERIFY(ws->warnings().first().contains(QStringLiteral("comment")));
        const OverlaySpec &o = ws->overlays().first();
        QCOMPARE(o.lower, QStringList {QStringLiteral("/srv/lesson/lower_layer")});
        QCOMPARE(o.upper, QStringLiteral("/srv/lesson/upper_layer"));
        QCOMPARE(o.options.index, QStringLiteral("off"));
        QCOMPARE(o.options.mountOptionList(),
            (QStringList {QStringLiteral("redirect_dir=off"),
                QStringLiteral("index=off"),
                QStringLiteral("metacopy=off"),
                QStringLiteral("xino=off")}));
        QCOMPARE(MountCommand::shellCommand(o),
            QStringLiteral(
                "mount -t overlay overlay -o lowerdir=/srv/lesson/lower_layer,upperdir=/srv/lesson/upper_layer,"
                "workdir=/srv/lesson/temp_layer,redirect_dir=off,index=off,metacopy=off,xino=off "
                "/srv/lesson/overlay_layer"));

        // The second overlay's lower is the first one's mountpoint: its layers are flattened.
        auto layers = ws->mergeLayers(1);
        QVERIFY(layers.ok());
        QCOMPARE(layers->size(), 3);
        QCOMPARE(layers->at(0).name, QStringLiteral("upper_layer_2"));
        QCOMPARE(layers->at(0).role, LayerRole::Upper);
        QCOMPARE(layers->at(1).name, QStringLiteral("upper_layer"));
        QCOMPARE(layers->at(1).role, LayerRole::Lower);
        QCOMPARE(layers->at(1).viaOverlay, QStringLiteral("overlay_layer"));
        QCOMPARE(layers->at(2).name, QStringLiteral("lower_layer"));
    }

    // A directory whose name is not UTF-8: the file carries its bytes in "<key>_base64" (which
    // wins over "<key>", a readable form for people), and writes them so too.
    void bytePaths_data()
    {
        strata::test::addColumns<QByteArray, QByteArray, QByteArray, QByteArray>(
            "overlay", "lower0", "upper", "mountpoint");
        const QByteArray b64 = QByteArray("l\xff").toBase64();
        QTest::newRow("lower_base64") << (R"({"name":"o","lower":["l?"],"lower_base64":[")" + b64
            + R"(","aw=="],"upper":"u","work":"w","mountpoint":"m"})")
                                      << QByteArray("/srv/l\xff") << QByteArray("/srv/u") << QByteArray("/srv/m");
        QTest::newRow("upper_base64 and mountpoint_base64")
            << (R"({"name":"o","lower":["l"],"upper_base64":")" + QByteArray("up\xe9").toBase64()
                   + R"(","work":"w","mountpoint_base64":")" + QByteArray("/abs/m\x80").toBase64() + R"("})")
            << QByteArray("/srv/l") << QByteArray("/srv/up\xe9") << QByteArray("/abs/m\x80");
        QTest::newRow("UTF-8 in base64 is fine too")
            << (R"({"name":"o","lower_base64":[")" + QByteArray("\xc3\xa9").toBase64()
                   + R"("],"upper":"u","work":"w","mountpoint":"m"})")
            << QByteArray("/srv/\xc3\xa9") << QByteArray("/srv/u") << QByteArray("/srv/m");
    }

    void bytePaths()
    {
        QFETCH(QByteArray, overlay);
        QFETCH(QByteArray, lower0);
        QFETCH(QByteArray, upper);
        QFETCH(QByteArray, mountpoint);
        auto ws = Workspace::fromJson(
            R"({"version":1,"overlays":[)" + overlay + "]}", QStringLiteral("/srv"), QStringLiteral("ws.json"));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        QCOMPARE(ws->warnings(), QStringList()); // the _base64 keys are known
        const OverlaySpec &o = ws->overlays().first();
        QCOMPARE(encodeFileName(o.lower.first()), lower0);
        QCOMPARE(encodeFileName(o.upper), upper);
        QCOMPARE(encodeFileName(o.mountpoint), mountpoint);
        // Written back, the bytes survive: the same workspace again.
        const QByteArray written = ws->toJson();
        auto again = Workspace::fromJson(written, QStringLiteral("/srv"), QStringLiteral("ws.json"));
        QVERIFY(again.ok());
        QCOMPARE(again->overlays().first().lower, o.lower);
        QCOMPARE(again->overlays().first().upper, o.upper);
        QCOMPARE(again->overlays().first().mountpoint, o.mountpoint);
        QCOMPARE(written.contains("_base64"),
            hasEscapedBytes(o.lower.first()) || hasEscapedBytes(o.upper) || hasEscapedBytes(o.mountpoint));
        QVERIFY(QJsonDocument::fromJson(written).isObject()); // valid JSON, whatever the bytes
    }

    void dependentsAndStackedOn_data()
    {
        strata::test::addColumns<QByteArray, int, QList<int>, QStringList>(
            "overlays", "overlay", "dependents", "stackedOn");
        const QByteArray three = R"([
          {"name":"a","lower":["l"],"upper":"ua","work":"wa","mountpoint":"ma"},
          {"name":"b","lower":["ma"],"upper":"ub","work":"wb","mountpoint":"mb"},
          {"name":"c","lower":["mb","l2"],"upper":"uc","work":"wc","mountpoint":"mc"},
          {"name":"d","lower":["l3"],"upper":"ud","work":"wd","mountpoint":"md"}])";
        QTest::newRow("bottom: both above, through b") << three << 0 << QList<int> {1, 2} << QStringList();
        QTest::newRow("middle") << three << 1 << QList<int> {2} << QStringList {QStringLiteral("a")};
        QTest::newRow("top") << three << 2 << QList<int>() << QStringList {QStringLiteral("b")};
        QTest::newRow("unrelated") << three << 3 << QList<int>() << QStringList();
        QTest::newRow("out of range") << three << 9 << QList<int>() << QStringList();
    }

    void dependentsAndStackedOn()
    {
        QFETCH(QByteArray, overlays);
        QFETCH(int, overlay);
        QFETCH(QList<int>, dependents);
        QFETCH(QStringList, stackedOn);
        auto ws = Workspace::fromJson(
            R"({"version":1,"overlays":)" + overlays + '}', QStringLiteral("/srv"), QStringLiteral("ws.json"));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        QCOMPARE(ws->dependents(overlay), dependents);
        QCOMPARE(ws->stackedOn(overlay), stackedOn);
    }

    void roundTrip()
    {
        QTemporaryDir dir;
        auto ws = Scenario::create(QStringLiteral("stacked"), dir.filePath(QStringLiteral("s")));
        QVERIFY(ws.ok());
        auto loaded = Workspace::load(dir.filePath(QStringLiteral("s"))); // a directory works too
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->toJson(), ws->toJson());
        QCOMPARE(loaded->overlays().size(), 2);
        // Paths are stored relative to the file, so the folder can be moved.
        QVERIFY(!ws->toJson().contains(dir.path().toUtf8()));
    }

    void dataLowers_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("data");
        QTest::addColumn<QString>("options");
        QTest::addColumn<int>("warnings");
        QTest::newRow("an older file: none")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["l","k"],"mountpoint":"m"}]})")
            << QStringList() << QStringLiteral("lowerdir=/base/l:/base/k") << 0;
        QTest::newRow("an empty array: none") << QByteArray(
            R"({"version":1,"overlays":[{"name":"o","lower":["l","k"],"data_lowers":[],"mountpoint":"m"}]})")
                                              << QStringList() << QStringLiteral("lowerdir=/base/l:/base/k") << 0;
        // One lower and one data-only layer mount read-only: the kernel counts both.
        QTest::newRow("read-only, one of each")
            << QByteArray(
                   R"({"version":1,"overlays":[{"name":"o","lower":["l"],"data_lowers":["d"],"mountpoint":"m"}]})")
            << QStringList {QStringLiteral("/base/d")} << QStringLiteral("lowerdir=/base/l::/base/d") << 0;
        QTest::newRow("two, after an upper")
            << QByteArray(R"({"version":1,"overlays":[{"name":"o","lower":["l"],"data_lowers":["d1","/abs/d:2"],)"
                          R"("upper":"u","work":"w","mountpoint":"m"}]})")
            << QStringList {QStringLiteral("/base/d1"), QStringLiteral("/abs/d:2")}
            << QStringLiteral("lowerdir=/base/l::/base/d1::/abs/d\\:2,upperdir=/base/u,workdir=/base/w") << 0;
    }

    // Data-only layers: read, in the mount command after "::", last among the merge layers,
    // and written back as they were.
    void dataLowers()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, data);
        QFETCH(QString, options);
        QFETCH(int, warnings);
        auto ws = Workspace::fromJson(json, QStringLiteral("/base"), QStringLiteral("ws.json"));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        QCOMPARE(ws->warnings().size(), warnings);
        const OverlaySpec &o = ws->overlays().first();
        QCOMPARE(o.dataLower, data);
        QCOMPARE(MountCommand::optionString(o), options);
        auto layers = ws->mergeLayers(0);
        QVERIFY(layers.ok());
        QCOMPARE(layers->size(), qsizetype(o.hasUpper() + o.lower.size() + data.size()));
        for (qsizetype i = 0; i < layers->size(); ++i)
            QCOMPARE(layers->at(i).dataOnly, i >= layers->size() - data.size());
        QCOMPARE(layers->last().path, data.isEmpty() ? o.lower.last() : data.last());
        auto again = Workspace::fromJson(ws->toJson(), QStringLiteral("/base"), QStringLiteral("ws.json"));
        QVERIFY(again.ok());
        QCOMPARE(again->overlays().first().dataLower, data);
        QCOMPARE(again->toJson(), ws->toJson());
        QCOMPARE(ws->toJson().contains("data_lowers"), !data.isEmpty());
    }

    void sharedUpperWarns()
    {
        const QByteArray json = R"({"version":1,"overlays":[
          {"name":"a","lower":["l"],"upper":"u","work":"w1","mountpoint":"m1"},
          {"name":"b","lower":["l"],"upper":"u","work":"w2","mountpoint":"m2"}]})";
        auto ws = Workspace::fromJson(json, QStringLiteral("/x"), QStringLiteral("ws.json"));
        QVERIFY(ws.ok());
        QCOMPARE(ws->warnings().size(), 1);
        QVERIFY(ws->warnings().first().contains(QStringLiteral("share the upper directory")));
    }

    void missingAndUnreadable()
    {
        auto ws = Workspace::load(QStringLiteral("/nonexistent/stratascope.json"));
        QVERIFY(!ws.ok());
        QVERIFY(ws.error().message.contains(QStringLiteral("no such workspace file")));
    }

    void saveIsAtomic()
    {
        QTemporaryDir dir;
        auto ws = Scenario::create(QStringLiteral("blog"), dir.filePath(QStringLiteral("b")));
        QVERIFY(ws.ok());
        // Saving into a directory that does not exist fails cleanly and leaves the old file.
        const Status s = ws->save(dir.filePath(QStringLiteral("missing/dir/ws.json")));
        QVERIFY(!s.ok());
        QVERIFY(Workspace::load(ws->filePath()).ok());
    }

    void scenarioRefusesNonEmptyDir()
    {
        QTemporaryDir dir;
        QVERIFY(writeFile(dir.filePath(QStringLiteral("precious.txt")), "do not lose me"));
        auto ws = Scenario::create(QStringLiteral("blog"), dir.path());
        QVERIFY(!ws.ok());
        QVERIFY(ws.error().message.contains(QStringLiteral("not empty")));
        QCOMPARE(readFile(dir.filePath(QStringLiteral("precious.txt"))), QByteArray("do not lose me"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 1);
    }

    void scenarioLayouts_data()
    {
        strata::test::addColumns<QString, QStringList>("name", "paths");
        QTest::newRow("blog") << QStringLiteral("blog")
                              << QStringList {QStringLiteral("lower_layer/base_image/PART1.txt"),
                                     QStringLiteral("lower_layer/base_image/PART4.txt"),
                                     QStringLiteral("lower_layer/base_image/common.txt"),
                                     QStringLiteral("lower_layer/base_image/second_instruction.txt"),
                                     QStringLiteral("lower_layer/base_image/third_instruction.txt"),
                                     QStringLiteral("upper_layer/base_image/common.txt"),
                                     QStringLiteral("temp_layer"),
                                     QStringLiteral("overlay_layer")};
        QTest::newRow("stacked") << QStringLiteral("stacked")
                                 << QStringList {QStringLiteral("upper_layer_2"),
                                        QStringLiteral("temp_layer_2"),
                                        QStringLiteral("overlay_layer_2"),
                                        QStringLiteral("upper_layer/base_image/common.txt")};
        QTest::newRow("docker-like") << QStringLiteral("docker-like") << QStringList {QStringLiteral("overlay2/l")};
    }

    void scenarioLayouts()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, paths);
        QTemporaryDir dir;
        auto ws = Scenario::create(name, dir.filePath(name));
        QVERIFY2(ws.ok(), ws.ok() ? "" : qPrintable(ws.error().message));
        for (const QString &p : paths)
            QVERIFY2(QFileInfo::exists(dir.filePath(name + QLatin1Char('/') + p)), qPrintable(p));
        QVERIFY(QFileInfo::exists(ws->filePath()));
        QCOMPARE(ws->warnings(), QStringList());
        if (name == QLatin1String("blog")) {
            QFile a(dir.filePath(name + QStringLiteral("/lower_layer/base_image/common.txt")));
            QFile b(dir.filePath(name + QStringLiteral("/upper_layer/base_image/common.txt")));
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY(a.readAll() != b.readAll());
        }
        if (name == QLatin1String("docker-like")) {
            // Every lower is an l/ short link: a symbolic link (not a hard link) to a diff dir.
            for (const QString &l : ws->overlays().first().lower) {
                const QFileInfo fi(l);
                QVERIFY2(fi.isSymLink(), qPrintable(l));
                QVERIFY(fi.symLinkTarget().endsWith(QStringLiteral("/diff")));
                QCOMPARE(fi.fileName().size(), 26);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
