// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace strata {

/// Append-only storage for many short byte strings (file names). A string never spans two
/// chunks, so a (offset, length) pair is enough to find it again.
class StringArena final
{
public:
    static constexpr std::uint32_t chunkBits = 20; // 1 MiB
    static constexpr std::uint32_t chunkSize = 1u << chunkBits;

    /// Returns the offset of the stored copy. Strings longer than a chunk are not supported
    /// (names are at most 255 bytes; link targets at most PATH_MAX).
    std::uint64_t add(std::string_view s)
    {
        if (m_chunks.empty() || m_used + s.size() > chunkSize) {
            m_chunks.push_back(std::make_unique_for_overwrite<char[]>(chunkSize));
            m_used = 0;
        }
        const std::uint64_t offset = (std::uint64_t(m_chunks.size() - 1) << chunkBits) | m_used;
        if (!s.empty())
            std::memcpy(m_chunks.back().get() + m_used, s.data(), s.size());
        m_used += static_cast<std::uint32_t>(s.size());
        return offset;
    }

    [[nodiscard]] std::string_view view(std::uint64_t offset, std::uint32_t length) const
    {
        return {m_chunks[offset >> chunkBits].get() + (offset & (chunkSize - 1)), length};
    }

    [[nodiscard]] std::size_t capacityBytes() const { return m_chunks.size() * std::size_t(chunkSize); }

private:
    std::vector<std::unique_ptr<char[]>> m_chunks;
    std::uint32_t m_used = 0;
};

} // namespace strata
