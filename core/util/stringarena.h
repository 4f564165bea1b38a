// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/chunktable.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace strata
{

/// Append-only storage for many short byte strings (file names). A string never spans two
/// chunks, so a (offset, length) pair is enough to find it again. Like ChunkedVector, stored
/// strings never move, so they can be read by other threads once published to them.
class StringArena final
{
public:
    static constexpr std::uint32_t chunkBits = 20; // 1 MiB
    static constexpr std::uint32_t chunkSize = 1u << chunkBits;

    /// Returns the offset of the stored copy. Strings must be shorter than a chunk (names are
    /// at most 255 bytes, link targets at most PATH_MAX).
    std::uint64_t add(std::string_view s)
    {
        if (m_chunks.count() == 0 || m_used + s.size() > chunkSize) {
            m_chunks.add();
            m_used = 0;
        }
        const std::size_t last = m_chunks.count() - 1;
        const std::uint64_t offset = (std::uint64_t(last) << chunkBits) | m_used;
        if (!s.empty())
            std::memcpy(m_chunks[last] + m_used, s.data(), s.size());
        m_used += static_cast<std::uint32_t>(s.size());
        return offset;
    }

    [[nodiscard]] std::string_view view(std::uint64_t offset, std::uint32_t length) const
    {
        return {m_chunks[offset >> chunkBits] + (offset & (chunkSize - 1)), length};
    }

    [[nodiscard]] std::size_t capacityBytes() const { return m_chunks.capacityBytes(); }

private:
    // Moving hands the chunks over; the source's m_used no longer matters once it has none.
    ChunkTable<char, chunkSize> m_chunks;
    std::uint32_t m_used = 0;
};

} // namespace strata
