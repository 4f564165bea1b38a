// SPDX-License-Identifier: GPL-2.0-or-later
#include "filename.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace strata
{

namespace
{
constexpr char16_t EscapeBase = 0xDC00; // U+DC80..U+DCFF: the bytes 0x80..0xFF

bool isEscape(char16_t c)
{
    return c >= 0xDC80 && c <= 0xDCFF;
}

// The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0.
qsizetype sequenceLength(QByteArrayView b, qsizetype i)
{
    const auto at = [&b](qsizetype k) {
        return static_cast<unsigned char>(b[k]);
    };
    const unsigned char c = at(i);
    qsizetype n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + n > b.size() || at(i + 1) < lo || at(i + 1) > hi)
        return 0;
    for (qsizetype k = 2; k < n; ++k) {
        if (at(i + k) < 0x80 || at(i + k) > 0xBF)
            return 0;
    }
    return n;
}

bool isSurrogate(char16_t c)
{
    return c >= 0xD800 && c <= 0xDFFF;
}
} // namespace

QString decodeFileName(QByteArrayView bytes)
{
    QString out;
    out.reserve(bytes.size());
    qsizetype plain = 0; // start of the run of valid UTF-8 not yet appended
    qsizetype i = 0;
    while (i < bytes.size()) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (const qsizetype n = sequenceLength(bytes, i)) {
            i += n;
            continue;
        }
        out += QString::fromUtf8(bytes.sliced(plain, i - plain));
        out += QChar(static_cast<char16_t>(EscapeBase + c));
        plain = ++i;
    }
    if (plain == 0)
        return QString::fromUtf8(bytes);
    out += QString::fromUtf8(bytes.sliced(plain));
    return out;
}

bool hasEscapedBytes(QStringView name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < name.size() && name[i + 1].isLowSurrogate())
            ++i; // a pair: a character above U+FFFF
        else if (isEscape(c))
            return true;
    }
    return false;
}

QByteArray encodeFileName(QStringView name)
{
    bool plain = true;
    for (const QChar c : name)
        plain = plain && !isSurrogate(c.unicode());
    if (plain)
        return name.toUtf8();
    QByteArray out;
    out.reserve(name.size() * 3);
    qsizetype run = 0; // start of the text not yet appended
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name[i].unicode();
        if (name[i].isHighSurrogate() && i + 1 < name.size() && name[i + 1].isLowSurrogate()) {
            ++i;
            continue;
        }
        if (!isEscape(c))
            continue; // toUtf8() makes a U+FFFD of any other lone surrogate
        out += name.mid(run, i - run).toUtf8();
        out += static_cast<char>(c - EscapeBase);
        run = i + 1;
    }
    out += name.mid(run).toUtf8();
    return out;
}

Result<QByteArray> readOpenFile(int fd, qint64 maxBytes, const QString &fileName)
{
    QByteArray data;
    char buf[65536];
    while (data.size() < maxBytes) {
        const ssize_t n = ::read(fd, buf, static_cast<size_t>(std::min<qint64>(sizeof buf, maxBytes - data.size())));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(errno, fileName);
        if (n == 0)
            break;
        data.append(buf, n);
    }
    return data;
}

Result<QByteArray> readFileBytes(const QString &fileName, qint64 maxBytes)
{
    const int fd = ::open(encodeFileName(fileName).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return Error::fromErrno(errno, fileName);
    auto data = readOpenFile(fd, maxBytes, fileName);
    ::close(fd);
    return data;
}

QString printableText(QStringView text, bool keepLineBreaks)
{
    // Whether text[i] is shown as an escape; the low half of a pair never is.
    const auto needsEscape = [keepLineBreaks, text](qsizetype i) {
        const char16_t c = text[i].unicode();
        if (c == '\n' || c == '\t')
            return !keepLineBreaks;
        if (isEscape(c))
            return i == 0 || !text[i - 1].isHighSurrogate();
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    };
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(first))
        ++first;
    if (first == text.size())
        return text.toString();
    QString out = text.first(first).toString();
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!needsEscape(i))
            out += text[i];
        else if (c >= 0x80 && c < 0xa0)
            out += QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0'));
        else
            out += QStringLiteral("\\x%1").arg(int(isEscape(c) ? c - EscapeBase : c), 2, 16, QLatin1Char('0'));
    }
    return out;
}

} // namespace strata
