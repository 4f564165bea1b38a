// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>
#include <cstdint>

namespace strata
{

/// SHA-256 for image digests, fed block by block: with the CPU's SHA instructions where it
/// has them, portable code otherwise. (Qt 6.4's QCryptographicHash takes its input a byte at
/// a time: verifying a layer took longer than reading it.)
class Sha256 final
{
public:
    /// `accelerated` false: the portable code even where the CPU could do better (tests).
    explicit Sha256(bool accelerated = true);

    void add(QByteArrayView data);
    /// The 32-byte digest; the object is spent afterwards.
    [[nodiscard]] QByteArray result();
    /// "sha256:<64 hex digits>", then spent.
    [[nodiscard]] QString digest();

    [[nodiscard]] static QString digestOf(QByteArrayView data);
    /// Whether this CPU has the SHA extensions.
    [[nodiscard]] static bool hasCpuSupport();

private:
    void blocks(const unsigned char *data, std::size_t count);

    std::array<std::uint32_t, 8> m_state;
    std::array<unsigned char, 64> m_buffer {};
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
    bool m_accelerated;
};

} // namespace strata
