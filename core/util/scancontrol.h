// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <atomic>
#include <cstdint>

namespace strata
{

/// Shared between a long-running scan and whoever watches it: the watcher polls the
/// counters (no signal per entry) and may ask for cancellation at any time.
class ScanControl final
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

    void addEntries(std::uint64_t n) { m_entries.fetch_add(n, std::memory_order_relaxed); }
    void addDirectories(std::uint64_t n) { m_directories.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t entries() const { return m_entries.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t directories() const { return m_directories.load(std::memory_order_relaxed); }

private:
    std::atomic_bool m_cancelled {false};
    std::atomic<std::uint64_t> m_entries {0};
    std::atomic<std::uint64_t> m_directories {0};
};

} // namespace strata
