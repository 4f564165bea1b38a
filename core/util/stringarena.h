// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
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
    static constexpr std::size_t maxChunks = std::size_t(1) << 16;

    StringArena() = default;
    ~StringArena() { clear(); }
    StringArena(StringArena &&other) noexcept
        : m_chunks(std::move(other.m_chunks)), m_chunkCount(other.m_chunkCount), m_used(other.m_used)
    {
        other.m_chunkCount = 0;
    }
    StringArena &operator=(StringArena &&other) noexcept
    {
        if (this != &other) {
            clear();
            m_chunks = std::move(other.m_chunks);
            m_chunkCount = other.m_chunkCount;
            m_used = other.m_used;
            other.m_chunkCount = 0;
        }
        return *this;
    }
    StringArena(const StringArena &) = delete;
    StringArena &operator=(const StringArena &) = delete;

    /// Returns the offset of the stored copy. Strings must be shorter than a chunk (names are
    /// at most 255 bytes, link targets at most PATH_MAX).
    std::uint64_t add(std::string_view s)
    {
        if (!m_chunks)
            m_chunks = std::make_unique_for_overwrite<char *[]>(maxChunks);
        if (m_chunkCount == 0 || m_used + s.size() > chunkSize) {
            m_chunks[m_chunkCount++] = new char[chunkSize];
            m_used = 0;
        }
        const std::uint64_t offset = (std::uint64_t(m_chunkCount - 1) << chunkBits) | m_used;
        if (!s.empty())
            std::memcpy(m_chunks[m_chunkCount - 1] + m_used, s.data(), s.size());
        m_used += static_cast<std::uint32_t>(s.size());
        return offset;
    }

    [[nodiscard]] std::string_view view(std::uint64_t offset, std::uint32_t length) const
    {
        return {m_chunks[offset >> chunkBits] + (offset & (chunkSize - 1)), length};
    }

    [[nodiscard]] std::size_t capacityBytes() const { return m_chunkCount * std::size_t(chunkSize); }

private:
    void clear()
    {
        for (std::size_t i = 0; i < m_chunkCount; ++i)
            delete[] m_chunks[i];
        m_chunkCount = 0;
    }

    std::unique_ptr<char *[]> m_chunks;
    std::size_t m_chunkCount = 0;
    std::uint32_t m_used = 0;
};

} // namespace strata
