// SPDX-License-Identifier: GPL-2.0-or-later
// JsonWriter, the one JSON writer of the command line: exact bytes in both styles, the same
// bytes as QJsonDocument's indented form, valid JSON for any bytes, and a document written in
// parts (chunks on other threads) equal to one written at once.
#include "core/util/filename.h"
#include "core/util/jsonwriter.h"
#include "tests/support/datatable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <functional>
#include <limits>

using namespace strata;

using Script = std::function<void(JsonWriter &)>;
Q_DECLARE_METATYPE(Script)
Q_DECLARE_METATYPE(strata::JsonWriter::Style)

namespace
{
QByteArray render(const Script &script, JsonWriter::Style style)
{
    std::string out;
    JsonWriter w(out, style);
    script(w);
    return QByteArray(out.data(), static_cast<qsizetype>(out.size()));
}
} // namespace

class TestJsonWriter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bytes_data()
    {
        strata::test::addColumns<Script, JsonWriter::Style, QByteArray>("script", "style", "expected");
        const auto compact = JsonWriter::Style::Compact;
        const auto indented = JsonWriter::Style::Indented;
        const Script empty = [](JsonWriter &w) {
            w.beginObject().key("a").beginArray().endArray().endObject();
        };
        QTest::newRow("empty array, compact") << empty << compact << QByteArray(R"({"a":[]})");
        QTest::newRow("empty array, indented") << empty << indented << QByteArray("{\n    \"a\": [\n    ]\n}");
        QTest::newRow("scalars") << Script([](JsonWriter &w) {
            w.beginArray().value(true).value(false).null().value(-7).value("x").value(QStringLiteral("é")).endArray();
        }) << compact << QByteArray("[true,false,null,-7,\"x\",\"\xc3\xa9\"]");
        QTest::newRow("integer limits") << Script([](JsonWriter &w) {
            w.beginArray()
                .value(std::numeric_limits<qint64>::min())
                .value(std::numeric_limits<std::uint64_t>::max())
                .endArray();
        }) << compact << QByteArray("[-9223372036854775808,18446744073709551615]");
        QTest::newRow("doubles") << Script([](JsonWriter &w) {
            w.beginArray()
                .value(0.5)
                .value(-2.0)
                .value(1e300)
                .value(std::numeric_limits<double>::infinity())
                .endArray();
        }) << compact << QByteArray("[0.5,-2,1e+300,null]");
        QTest::newRow("null when empty or negative") << Script([](JsonWriter &w) {
            w.beginObject().fieldOrNull("a", QString()).fieldOrNull("b", QStringLiteral("x"));
            w.key("c").countOrNull(-1).key("d").countOrNull(0).endObject();
        }) << compact << QByteArray(R"({"a":null,"b":"x","c":null,"d":0})");
        QTest::newRow("escapes") << Script([](JsonWriter &w) { w.beginArray().value("q\"b\\n\nt\tc\x01").endArray(); })
                                 << compact << QByteArray("[\"q\\\"b\\\\n\\nt\\tc\\u0001\"]");
        QTest::newRow("a path that is UTF-8")
            << Script([](JsonWriter &w) { w.beginObject().path("path", QByteArray("/a/b")).endObject(); }) << compact
            << QByteArray(R"({"path":"/a/b"})");
        QTest::newRow("a path that is not UTF-8: the bytes in base64")
            << Script([](JsonWriter &w) { w.beginObject().path("path", QByteArray("/a\xff")).endObject(); }) << compact
            << QByteArray("{\"path\":\"/a\xef\xbf\xbd\",\"path_base64\":\"L2H/\"}");
        QTest::newRow("a file name string that is not UTF-8: the same")
            << Script([](JsonWriter &w) { w.beginObject().path("path", decodeFileName("/a\xff")).endObject(); })
            << compact << QByteArray("{\"path\":\"/a\xef\xbf\xbd\",\"path_base64\":\"L2H/\"}");
        QTest::newRow("a file name string as a value: U+FFFD, like raw bytes")
            << Script([](JsonWriter &w) { w.beginArray().value(decodeFileName("/a\xff")).endArray(); }) << compact
            << QByteArray("[\"/a\xef\xbf\xbd\"]");
        QTest::newRow("pathOrNull") << Script([](JsonWriter &w) {
            w.beginObject().pathOrNull("u", QString()).pathOrNull("w", QStringLiteral("/w")).endObject();
        }) << compact << QByteArray(R"({"u":null,"w":"/w"})");
        QTest::newRow("one element per line") << Script([](JsonWriter &w) {
            w.beginObject().key("m").beginArray(JsonWriter::Layout::Lines).value(1).value(2).endArray();
            w.key("e").beginArray(JsonWriter::Layout::Lines).endArray().endObject();
        }) << compact << QByteArray("{\"m\":[\n1,\n2\n],\"e\":[]}");
        QTest::newRow("string list") << Script([](JsonWriter &w) {
            w.beginObject().field("l", QStringList {QStringLiteral("a"), QStringLiteral("b")}).endObject();
        }) << indented << QByteArray("{\n    \"l\": [\n        \"a\",\n        \"b\"\n    ]\n}");
        QTest::newRow("fragment spliced in") << Script([](JsonWriter &w) {
            std::string members;
            JsonWriter::fragment(members).field("x", 1).field("y", 2);
            w.beginArray().beginObject().members(members).endObject();
            w.beginObject().field("a", 0).members(members).endObject().endArray();
        }) << compact << QByteArray(R"([{"x":1,"y":2},{"a":0,"x":1,"y":2}])");
    }

    void bytes()
    {
        QFETCH(Script, script);
        QFETCH(JsonWriter::Style, style);
        QFETCH(QByteArray, expected);
        const QByteArray out = render(script, style);
        QCOMPARE(out, expected);
        QJsonParseError error {};
        QJsonDocument::fromJson(out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    // The indented style is QJsonDocument's, byte for byte (keys in its sorted order).
    void indentedLikeQJsonDocument()
    {
        const QJsonObject inner {{QStringLiteral("n"), 3}, {QStringLiteral("s"), QStringLiteral("x")}};
        const QJsonObject doc {{QStringLiteral("a"), QJsonArray {1, 2}},
            {QStringLiteral("b"), QJsonArray {}},
            {QStringLiteral("c"), QJsonArray {inner, inner}},
            {QStringLiteral("d"), QJsonValue()},
            {QStringLiteral("e"), true}};
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().key("a").beginArray().value(1).value(2).endArray();
        w.key("b").beginArray().endArray().key("c").beginArray();
        for (int i = 0; i < 2; ++i)
            w.beginObject().field("n", 3).field("s", "x").endObject();
        w.endArray().key("d").null().field("e", true).endObject();
        out += '\n';
        QCOMPARE(QByteArray::fromStdString(out), QJsonDocument(doc).toJson(QJsonDocument::Indented));
    }

    // A long array written in parts equals the same array written at once.
    void continued_data()
    {
        strata::test::addColumns<int, int>("elements", "chunk");
        QTest::newRow("one part") << 5 << 10;
        QTest::newRow("several parts") << 10 << 3;
        QTest::newRow("no elements") << 0 << 4;
    }

    void continued()
    {
        QFETCH(int, elements);
        QFETCH(int, chunk);
        std::string whole;
        JsonWriter once(whole);
        once.beginObject().field("h", 1).key("e").beginArray(JsonWriter::Layout::Lines);
        for (int i = 0; i < elements; ++i)
            once.beginObject().field("i", i).endObject();
        once.endArray().endObject();

        std::string parts;
        JsonWriter head(parts);
        head.beginObject().field("h", 1).key("e").beginArray(JsonWriter::Layout::Lines);
        for (int begin = 0; begin < elements; begin += chunk) {
            std::string piece;
            JsonWriter w = head.continued(piece, begin > 0);
            for (int i = begin; i < std::min(elements, begin + chunk); ++i)
                w.beginObject().field("i", i).endObject();
            parts += piece;
        }
        std::string tail;
        head.continued(tail, elements > 0).endArray().endObject();
        parts += tail;
        QCOMPARE(QByteArray::fromStdString(parts), QByteArray::fromStdString(whole));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
