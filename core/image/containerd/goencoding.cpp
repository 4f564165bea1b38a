// SPDX-License-Identifier: GPL-2.0-or-later
#include "goencoding.h"

#include <QDateTime>

namespace strata
{

std::optional<std::uint64_t> GoEncoding::uvarint(QByteArrayView bytes)
{
    std::uint64_t v = 0;
    for (qsizetype i = 0; i < bytes.size() && i < 10; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (i == 9 && b > 1)
            return std::nullopt; // more than 64 bits
        v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
            return i + 1 == bytes.size() ? std::optional(v) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::int64_t> GoEncoding::varint(QByteArrayView bytes)
{
    const auto u = uvarint(bytes);
    if (!u)
        return std::nullopt;
    const auto half = static_cast<std::int64_t>(*u >> 1);
    return (*u & 1) ? ~half : half;
}

std::optional<QString> GoEncoding::time(QByteArrayView bytes)
{
    // version, seconds since 0001-01-01 (int64), nanoseconds (int32), zone offset in minutes
    // (int16, -1 for UTC), and with version 2 the offset's seconds: all big-endian.
    if (bytes.isEmpty() || !((bytes[0] == 1 && bytes.size() == 15) || (bytes[0] == 2 && bytes.size() == 16)))
        return std::nullopt;
    auto be = [&](qsizetype at, int n) {
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
        return v;
    };
    constexpr std::int64_t UnixFromYearOne = 62135596800LL;
    const auto seconds = static_cast<std::int64_t>(be(1, 8));
    const auto nanos = static_cast<std::uint32_t>(be(9, 4));
    if (nanos >= 1000000000U || seconds < UnixFromYearOne || seconds - UnixFromYearOne > (std::int64_t(1) << 40))
        return std::nullopt;
    const QDateTime t = QDateTime::fromSecsSinceEpoch(seconds - UnixFromYearOne, Qt::UTC);
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss."))
        + QStringLiteral("%1Z").arg(nanos, 9, 10, QLatin1Char('0'));
}

} // namespace strata
