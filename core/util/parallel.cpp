// SPDX-License-Identifier: GPL-2.0-or-later
#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

namespace strata
{

unsigned parallelWorkers()
{
    if (const char *env = std::getenv("STRATA_THREADS")) {
        const int n = std::atoi(env);
        return static_cast<unsigned>(std::clamp(n, 1, 64));
    }
    return std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
}

void parallelFor(std::size_t count, unsigned workers, const std::function<void(std::size_t, unsigned)> &body)
{
    const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::max(workers, 1u), count));
    std::atomic<std::size_t> next {0};
    auto run = [&](unsigned worker) {
        for (std::size_t i = next++; i < count; i = next++)
            body(i, worker);
    };
    std::vector<std::thread> pool;
    pool.reserve(threads > 0 ? threads - 1 : 0);
    for (unsigned w = 1; w < threads; ++w)
        pool.emplace_back(run, w);
    run(0);
    for (std::thread &t : pool)
        t.join();
}

} // namespace strata
