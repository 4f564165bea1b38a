// SPDX-License-Identifier: GPL-2.0-or-later
#include "number.h"

#include <limits>

namespace strata
{

std::optional<qint64> parseInteger(QStringView text, qint64 min, qint64 max, int base)
{
    const bool negative = text.startsWith(QLatin1Char('-'));
    const QStringView digits = negative ? text.mid(1) : text;
    if (digits.isEmpty() || (negative && min >= 0))
        return std::nullopt;
    // Accumulated as a negative number: its range holds INT64_MIN.
    qint64 value = 0;
    constexpr qint64 lowest = std::numeric_limits<qint64>::min();
    for (const QChar c : digits) {
        const int d = c.unicode() - '0';
        if (d < 0 || d >= base)
            return std::nullopt;
        if (value < (lowest + d) / base)
            return std::nullopt;
        value = value * base - d;
    }
    if (!negative) {
        if (value == lowest)
            return std::nullopt;
        value = -value;
    }
    if (value < min || value > max)
        return std::nullopt;
    return value;
}

} // namespace strata
