// SPDX-License-Identifier: GPL-2.0-or-later
#include "statpool.h"

#include <cerrno>
#include <cstdlib>
#include <sys/stat.h>

namespace strata {

namespace {
// Enough work queued to keep the workers busy without holding many directories open.
constexpr std::size_t MaxQueued = 256;
} // namespace

unsigned StatPool::defaultThreads()
{
    if (const char *env = std::getenv("STRATA_THREADS")) {
        const int n = std::atoi(env);
        return n <= 1 ? 0u : static_cast<unsigned>(std::min(n, 64));
    }
    const unsigned hc = std::thread::hardware_concurrency();
    return hc <= 1 ? 0u : std::min(hc, 8u);
}

StatPool::StatPool(ChunkedVector<MergedNode> &nodes, const StringArena &names, unsigned threads)
    : m_nodes(nodes)
    , m_names(names)
{
    for (unsigned i = 0; i < threads; ++i) {
        m_results.push_back(std::make_unique<Results>());
        m_threads.emplace_back(&StatPool::workerLoop, this, m_results.back().get());
    }
}

StatPool::~StatPool()
{
    (void)finish();
}

void StatPool::submit(Batch batch)
{
    if (batch.nodes.empty())
        return;
    if (!m_threads.empty()) {
        std::unique_lock lock(m_mutex);
        if (m_queue.size() < MaxQueued) {
            m_queue.push_back(std::move(batch));
            lock.unlock();
            m_wake.notify_one();
            return;
        }
    }
    // No workers, or they are behind: do it here rather than wait.
    run(batch, m_inline);
}

void StatPool::workerLoop(Results *results)
{
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_done || !m_queue.empty(); });
            if (m_queue.empty())
                return;
            batch = std::move(m_queue.front());
            m_queue.pop_front();
        }
        run(batch, *results);
    }
}

void StatPool::run(const Batch &batch, Results &results)
{
    for (const NodeId id : batch.nodes) {
        MergedNode &n = m_nodes[id];
        const std::string_view name = m_names.view(n.nameOffset, n.nameLength);
        struct stat st {};
        if (!batch.dir->statEntry(name, &st)) {
            results.errors.emplace_back(id, errno);
            continue;
        }
        n.mode = st.st_mode;
        n.uid = st.st_uid;
        n.gid = st.st_gid;
        n.size = st.st_size;
        n.mtime = st.st_mtim.tv_sec;
        if (n.type == EntryType::Symlink)
            results.linkTargets.emplace_back(id, batch.dir->readLink(name));
    }
}

StatPool::Results StatPool::finish()
{
    {
        std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_wake.notify_all();
    for (std::thread &t : m_threads)
        t.join();
    m_threads.clear();
    Results all = std::move(m_inline);
    m_inline = {};
    for (const auto &r : m_results) {
        all.linkTargets.insert(all.linkTargets.end(), r->linkTargets.begin(), r->linkTargets.end());
        all.errors.insert(all.errors.end(), r->errors.begin(), r->errors.end());
    }
    m_results.clear();
    return all;
}

} // namespace strata
