// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace strata {

/// A vector that grows by fixed-size chunks: no reallocation spike (a std::vector briefly
/// holds old and new storage, 1.5-3x its size) and stable element addresses.
template<typename T, unsigned ChunkBits = 14>
class ChunkedVector final
{
public:
    static constexpr std::size_t chunkSize = std::size_t(1) << ChunkBits;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }

    T &operator[](std::size_t i) { return m_chunks[i >> ChunkBits][i & (chunkSize - 1)]; }
    const T &operator[](std::size_t i) const { return m_chunks[i >> ChunkBits][i & (chunkSize - 1)]; }

    /// Appends n default-initialised elements and returns the index of the first.
    std::size_t grow(std::size_t n)
    {
        const std::size_t first = m_size;
        m_size += n;
        while (m_chunks.size() * chunkSize < m_size)
            m_chunks.push_back(std::make_unique_for_overwrite<T[]>(chunkSize));
        return first;
    }
    void push_back(const T &value) { (*this)[grow(1)] = value; }

    [[nodiscard]] std::size_t capacityBytes() const
    {
        return m_chunks.size() * chunkSize * sizeof(T) + m_chunks.capacity() * sizeof(void *);
    }

private:
    std::vector<std::unique_ptr<T[]>> m_chunks;
    std::size_t m_size = 0;
};

} // namespace strata
