// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/chunktable.h"

#include <cstddef>
#include <utility>

namespace strata
{

/// A vector that grows by fixed-size chunks: no reallocation spike (a std::vector briefly
/// holds old and new storage, 1.5-3x its size) and stable element addresses. The chunk
/// table never moves either, so other threads may read elements that were published to them
/// (through a mutex or queue) while the owner keeps appending.
template<typename T, unsigned ChunkBits = 14>
class ChunkedVector final
{
public:
    static constexpr std::size_t chunkSize = std::size_t(1) << ChunkBits;

    ChunkedVector() = default;
    ChunkedVector(ChunkedVector &&other) noexcept
        : m_chunks(std::move(other.m_chunks)), m_size(std::exchange(other.m_size, 0))
    {
    }
    ChunkedVector &operator=(ChunkedVector &&other) noexcept
    {
        m_chunks = std::move(other.m_chunks);
        m_size = std::exchange(other.m_size, 0);
        return *this;
    }

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }

    T &operator[](std::size_t i) { return m_chunks[i >> ChunkBits][i & (chunkSize - 1)]; }
    const T &operator[](std::size_t i) const { return m_chunks[i >> ChunkBits][i & (chunkSize - 1)]; }

    /// Appends n uninitialised elements and returns the index of the first.
    std::size_t grow(std::size_t n)
    {
        const std::size_t first = m_size;
        m_size += n;
        while (m_chunks.count() * chunkSize < m_size)
            m_chunks.add();
        return first;
    }
    void push_back(const T &value) { (*this)[grow(1)] = value; }

    [[nodiscard]] std::size_t capacityBytes() const { return m_chunks.capacityBytes(); }

private:
    ChunkTable<T, chunkSize> m_chunks;
    std::size_t m_size = 0;
};

} // namespace strata
