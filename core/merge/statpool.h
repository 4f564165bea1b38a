// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/dirscanner.h"
#include "core/merge/mergednode.h"
#include "core/util/chunkedvector.h"
#include "core/util/stringarena.h"

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

/// Fills in the stat fields (and symlink targets) of merged-tree nodes on worker threads,
/// while the scan goes on: stat'ing the winning entries is most of a scan's system time, and
/// it parallelises well. Nodes and names must already be stored (they never move); each
/// batch keeps its directory open until it is done.
class StatPool final
{
public:
    struct Batch {
        std::shared_ptr<const DirScanner> dir;
        std::vector<NodeId> nodes;
    };
    struct Results {
        std::vector<std::pair<NodeId, QByteArray>> linkTargets;
        std::vector<std::pair<NodeId, int>> errors; ///< errno of a failed stat
    };

    /// `threads` == 0 runs every batch inline in submit().
    StatPool(ChunkedVector<MergedNode> &nodes, const StringArena &names, unsigned threads);
    ~StatPool();
    StatPool(const StatPool &) = delete;
    StatPool &operator=(const StatPool &) = delete;

    void submit(Batch batch);
    /// Waits for every batch and returns everything the workers found.
    [[nodiscard]] Results finish();

    /// Worker count for this machine: STRATA_THREADS when set, else the number of cores.
    [[nodiscard]] static unsigned defaultThreads();

private:
    void workerLoop(Results *results);
    void run(const Batch &batch, Results &results);

    ChunkedVector<MergedNode> &m_nodes;
    const StringArena &m_names;
    std::vector<std::thread> m_threads;
    std::vector<std::unique_ptr<Results>> m_results;
    Results m_inline;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Batch> m_queue;
    bool m_done = false;
};

} // namespace strata
