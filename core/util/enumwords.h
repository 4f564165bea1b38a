// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <array>
#include <cstddef>
#include <optional>

namespace strata
{

/// The word for a value of an enum numbered 0, 1, 2… from a list of words in the same order
/// (tests check every value has one). Out of range: `fallback`.
template<typename E, std::size_t N>
[[nodiscard]] QString wordOf(const std::array<const char *, N> &words, E value, const char *fallback = "")
{
    const auto i = static_cast<std::size_t>(value);
    return QString::fromUtf8(i < N ? words[i] : fallback);
}

/// The value whose word is `word`, if any.
template<typename E, std::size_t N>
[[nodiscard]] std::optional<E> valueOf(const std::array<const char *, N> &words, const QString &word)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (word == QLatin1String(words[i]))
            return static_cast<E>(i);
    }
    return std::nullopt;
}

} // namespace strata
