// SPDX-License-Identifier: GPL-2.0-or-later
#include "jsonstring.h"

#include "core/util/enumwords.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonDocument>
#include <QJsonParseError>

#include <array>
#include <cerrno>

namespace strata
{

namespace
{
// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned min = 0;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        len = 2;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size())
        return 0;
    unsigned cp = c & (0x7f >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}
} // namespace

bool isValidUtf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

void appendJsonString(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        // Runs of plain ASCII, the bulk of every name and path, in one append.
        std::size_t plain = i;
        while (plain < s.size()) {
            const auto p = static_cast<unsigned char>(s[plain]);
            if (p < 0x20 || p >= 0x80 || p == '"' || p == '\\')
                break;
            ++plain;
        }
        if (plain > i) {
            out.append(s.data() + i, plain - i);
            i = plain;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            ++i;
            continue;
        case '\\':
            out += "\\\\";
            ++i;
            continue;
        case '\n':
            out += "\\n";
            ++i;
            continue;
        case '\t':
            out += "\\t";
            ++i;
            continue;
        case '\r':
            out += "\\r";
            ++i;
            continue;
        default:
            break;
        }
        if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
            continue;
        }
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            out += "\xef\xbf\xbd"; // U+FFFD
            ++i;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    out += '"';
}

Result<QJsonObject> parseJsonObject(const QByteArray &data, const QString &source)
{
    QJsonParseError perr {};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &perr);
    if (perr.error != QJsonParseError::NoError)
        return Error {EINVAL,
            QStringLiteral("%1: not valid JSON at %2: %3")
                .arg(source, lineColumn(data, perr.offset), perr.errorString())};
    if (!doc.isObject())
        return Error {EINVAL, QStringLiteral("%1: expected a JSON object at the top level").arg(source)};
    return doc.object();
}

QString lineColumn(const QByteArray &data, qsizetype offset)
{
    int line = 1;
    int col = 1;
    for (qsizetype i = 0; i < offset && i < data.size(); ++i) {
        if (data.at(i) == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(col);
}

QString jsonTypeName(const QJsonValue &v)
{
    static constexpr std::array<const char *, 6> Names {
        "null", "a boolean", "a number", "a string", "an array", "an object"}; // QJsonValue::Type's order
    return wordOf(Names, v.type(), "nothing"); // Undefined (0x80) is out of range
}

std::string base64(std::string_view s)
{
    const QByteArray b = QByteArray(s.data(), static_cast<qsizetype>(s.size())).toBase64();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

} // namespace strata
