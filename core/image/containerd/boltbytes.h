// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArrayView>

#include <cstdint>
#include <cstring>

namespace strata
{

/// Little-endian fields of a bbolt page. The caller has checked that `at` + the field's size
/// lies inside `bytes`.
class BoltBytes final
{
public:
    [[nodiscard]] static std::uint16_t u16(QByteArrayView bytes, qsizetype at)
    {
        return read<std::uint16_t>(bytes, at);
    }
    [[nodiscard]] static std::uint32_t u32(QByteArrayView bytes, qsizetype at)
    {
        return read<std::uint32_t>(bytes, at);
    }
    [[nodiscard]] static std::uint64_t u64(QByteArrayView bytes, qsizetype at)
    {
        return read<std::uint64_t>(bytes, at);
    }

private:
    template<typename T>
    [[nodiscard]] static T read(QByteArrayView bytes, qsizetype at)
    {
        unsigned char b[sizeof(T)];
        std::memcpy(b, bytes.data() + at, sizeof(T));
        T v = 0;
        for (std::size_t i = sizeof(T); i-- > 0;)
            v = static_cast<T>((v << 8) | b[i]);
        return v;
    }
};

} // namespace strata
