// SPDX-License-Identifier: GPL-2.0-or-later
// JsonWriter round trips: a document the bytes describe (nested arrays and objects, strings of
// any bytes, numbers, paths) is written, read back by QJsonDocument and compared with what
// was meant; bytes that are not UTF-8 become U+FFFD one byte each and a path's base64 member
// gives them back exactly; a document written in two buffers (continued()) is the same text.
#include "tests/fuzz/fuzztargets.h"

#include "core/util/jsonstring.h"
#include "core/util/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstring>

namespace strata::fuzz
{

namespace
{
// The text JSON should show for `utf8`: each valid UTF-8 sequence as it is, each byte that
// starts none U+FFFD. Written from scratch, not with the writer's own decoder.
QString expectedText(const QByteArray &utf8)
{
    QString out;
    for (qsizetype i = 0; i < utf8.size();) {
        qsizetype len = 0;
        for (qsizetype n = 1; n <= 4 && i + n <= utf8.size() && len == 0; ++n) {
            const QByteArray seq = utf8.mid(i, n);
            if (QString::fromUtf8(seq).toUtf8() == seq)
                len = n;
        }
        out += len ? QString::fromUtf8(utf8.mid(i, len)) : QString(QChar(QChar::ReplacementCharacter));
        i += len ? len : 1;
    }
    return out;
}

// Equal as JSON: numbers by value (QJsonValue tells an integer from a double that holds it).
bool sameJson(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!sameJson(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    return a == b;
}

class Script final
{
public:
    Script(const QByteArray &input, JsonWriter::Style style, std::string &first, std::string &second)
        : m_in(input), m_writer(first, style), m_second(&second)
    {
        // The writer moves to the second buffer after this many values.
        m_switchAt = byte() % 16;
    }

    QJsonValue document()
    {
        m_writer.beginArray();
        QJsonArray top;
        while (m_pos < m_in.size())
            top.append(value(0));
        m_writer.endArray();
        return top;
    }

private:
    std::uint8_t byte() { return m_pos < m_in.size() ? static_cast<std::uint8_t>(m_in.at(m_pos++)) : 0; }
    QByteArray chunk()
    {
        const qsizetype n = std::min<qsizetype>(byte(), m_in.size() - m_pos);
        const QByteArray c = m_in.mid(m_pos, n);
        m_pos += n;
        return c;
    }
    template<typename T>
    T raw()
    {
        T v {};
        const QByteArray c = m_in.mid(m_pos, sizeof v);
        m_pos += c.size();
        std::memcpy(&v, c.constData(), static_cast<std::size_t>(c.size()));
        return v;
    }
    void maybeSwitch()
    {
        if (m_count++ == m_switchAt)
            m_writer = m_writer.continued(*m_second, false);
    }

    QJsonValue value(int depth)
    {
        maybeSwitch();
        switch (byte() % 8) {
        case 0: {
            const QByteArray s = chunk();
            m_writer.value(std::string_view(s.constData(), static_cast<std::size_t>(s.size())));
            return expectedText(s);
        }
        case 1: {
            const auto n = raw<qint32>();
            m_writer.value(n);
            return QJsonValue(n);
        }
        case 2: {
            const auto d = raw<double>();
            m_writer.value(d);
            return std::isfinite(d) ? QJsonValue(d) : QJsonValue(QJsonValue::Null);
        }
        case 3: {
            const bool b = byte() % 2 == 1;
            m_writer.value(b);
            return QJsonValue(b);
        }
        case 4: {
            const QString s = QString::fromUtf8(chunk());
            m_writer.value(QStringList {s, s});
            return QJsonArray {expectedText(s.toUtf8()), expectedText(s.toUtf8())};
        }
        case 5:
            if (depth < 30)
                return array(depth);
            break;
        case 6:
            if (depth < 30)
                return object(depth);
            break;
        default:
            break;
        }
        m_writer.null();
        return QJsonValue(QJsonValue::Null);
    }

    QJsonValue array(int depth)
    {
        const bool lines = byte() % 2 == 1;
        const int n = byte() % 8;
        m_writer.beginArray(lines ? JsonWriter::Layout::Lines : JsonWriter::Layout::Inline);
        QJsonArray a;
        for (int i = 0; i < n; ++i)
            a.append(value(depth + 1));
        m_writer.endArray();
        return a;
    }

    QJsonValue object(int depth)
    {
        const int n = byte() % 8;
        m_writer.beginObject();
        QJsonObject o;
        for (int i = 0; i < n; ++i) {
            const std::string key = "k" + std::to_string(i);
            if (byte() % 4 == 0) {
                // A path: its text, and its exact bytes when they are not UTF-8.
                const QByteArray p = chunk();
                m_writer.path(key, p);
                o.insert(QString::fromStdString(key), expectedText(p));
                if (!isValidUtf8(std::string_view(p.constData(), static_cast<std::size_t>(p.size()))))
                    o.insert(QString::fromStdString(key + "_base64"), QString::fromLatin1(p.toBase64()));
                continue;
            }
            m_writer.key(key);
            o.insert(QString::fromStdString(key), value(depth + 1));
        }
        m_writer.endObject();
        return o;
    }

    const QByteArray &m_in;
    qsizetype m_pos = 0;
    JsonWriter m_writer;
    std::string *m_second;
    int m_switchAt = 0;
    int m_count = 0;
};

void checkDocument(const QByteArray &input, JsonWriter::Style style)
{
    // Once in one buffer (the second buffer is the first), once split in two.
    std::string whole;
    Script once(input, style, whole, whole);
    const QJsonValue expected = once.document();
    std::string first;
    std::string second;
    Script split(input, style, first, second);
    require(sameJson(split.document(), expected), "the same script means the same document");
    require(first + second == whole, "a document written in two buffers is the same text");
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(whole), &error);
    require(error.error == QJsonParseError::NoError, "the writer writes valid JSON");
    require(sameJson(doc.array(), expected), "JSON reads back as what was written");
}
} // namespace

void jsonWriter(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = bytes(data, size);
    checkDocument(input, JsonWriter::Style::Compact);
    checkDocument(input, JsonWriter::Style::Indented);

    // One string of any bytes.
    std::string quoted;
    const std::string_view view(input.constData(), static_cast<std::size_t>(input.size()));
    appendJsonString(quoted, view);
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + quoted + "]"));
    require(doc.isArray() && doc.array().at(0).toString() == expectedText(input), "a string reads back");
    require(isValidUtf8(view) == (QString::fromUtf8(input).toUtf8() == input), "UTF-8 validity as Qt sees it");
    require(QByteArray::fromStdString(base64(view)) == input.toBase64(), "base64 is base64");
    const QString at = lineColumn(input, input.size());
    require(at.startsWith(QStringLiteral("line %1,").arg(input.count('\n') + 1)), "line numbers count newlines");
}

} // namespace strata::fuzz
