// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <cstddef>
#include <functional>

namespace strata
{

/// How many threads a data-parallel loop uses: STRATA_THREADS (1 to 64) when it is set, else
/// the cores, at most 8.
[[nodiscard]] unsigned parallelWorkers();

/// The one data-parallel primitive: calls body(index, worker) once for every index in
/// [0, count) on up to `workers` threads, each taking the next index when it is free, so
/// uneven items balance out. The calling thread is worker 0; `worker` is below
/// min(workers, count) and names the thread, for per-thread state. Returns when every call
/// has returned. For loops inside one job: long jobs go through runInBackground().
void parallelFor(
    std::size_t count, unsigned workers, const std::function<void(std::size_t index, unsigned worker)> &body);

} // namespace strata
