// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace strata
{

/// The storage of ChunkedVector and StringArena: fixed-size blocks of `ChunkSize` elements,
/// allocated one at a time and freed together. Neither the blocks nor the table that lists
/// them ever move, which is what lets other threads read published elements while the owner
/// adds blocks. Moving hands every block over and leaves the source empty.
template<typename T, std::size_t ChunkSize>
class ChunkTable final
{
public:
    static constexpr std::size_t maxChunks = std::size_t(1) << 16;

    ChunkTable() = default;
    ~ChunkTable() { clear(); }
    ChunkTable(ChunkTable &&other) noexcept
        : m_chunks(std::move(other.m_chunks)), m_count(std::exchange(other.m_count, 0))
    {
    }
    ChunkTable &operator=(ChunkTable &&other) noexcept
    {
        if (this != &other) {
            clear();
            m_chunks = std::move(other.m_chunks);
            m_count = std::exchange(other.m_count, 0);
        }
        return *this;
    }
    ChunkTable(const ChunkTable &) = delete;
    ChunkTable &operator=(const ChunkTable &) = delete;

    [[nodiscard]] std::size_t count() const { return m_count; }
    [[nodiscard]] T *operator[](std::size_t i) const { return m_chunks[i]; }
    [[nodiscard]] std::size_t capacityBytes() const { return m_count * ChunkSize * sizeof(T); }

    /// Allocates one more block (uninitialised) and returns it.
    T *add()
    {
        if (!m_chunks)
            m_chunks = std::make_unique_for_overwrite<T *[]>(maxChunks);
        return m_chunks[m_count++] = new T[ChunkSize];
    }

private:
    void clear()
    {
        for (std::size_t i = 0; i < m_count; ++i)
            delete[] m_chunks[i];
        m_count = 0;
    }

    std::unique_ptr<T *[]> m_chunks;
    std::size_t m_count = 0;
};

} // namespace strata
