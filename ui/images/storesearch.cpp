// SPDX-License-Identifier: GPL-2.0-or-later
#include "storesearch.h"

#include "core/image/layersearch.h"
#include "core/util/scancontrol.h"
#include "ui/images/searchhitsmodel.h"

#include <mutex>

namespace strata
{

/// Shared by the worker, which fills `pending`, and the GUI thread, which drains it.
struct StoreSearch::Run {
    std::mutex mutex;
    QVector<SearchHit> pending;
    int hits = 0;
};

StoreSearch::StoreSearch(SearchHitsModel *hits, QObject *parent) : QObject(parent), m_hits(hits)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &StoreSearch::drain);
}

StoreSearch::~StoreSearch()
{
    m_job.stop();
}

void StoreSearch::start(std::shared_ptr<const ImageStore> store, bool grep, const QString &what)
{
    m_job.stop();
    m_hits->clear(grep);
    auto run = std::make_shared<Run>();
    m_run = run;
    m_poll.start();
    auto work = [store = std::move(store), run, grep, what](ScanControl &control) {
        LayerSearch search(*store);
        const LayerSearch::Sink sink = [&run](const SearchHit &h) {
            std::lock_guard lock(run->mutex);
            run->pending.push_back(h);
            ++run->hits;
            return true;
        };
        const Status st = grep ? search.grep(what.toUtf8(), sink, &control) : search.find(what, sink, &control);
        Outcome o;
        o.completed = st.ok();
        o.cancelled = control.isCancelled();
        if (!st.ok())
            o.error = st.error().message;
        o.files = control.entries();
        o.directories = control.directories();
        o.problems = search.problems();
        return o;
    };
    m_job.start(this, std::move(work), [this](const Outcome &o) { finish(o); });
}

void StoreSearch::cancel()
{
    m_job.cancel();
}

void StoreSearch::stop()
{
    m_job.stop();
}

int StoreSearch::hitCount() const
{
    if (!m_run)
        return 0;
    std::lock_guard lock(m_run->mutex);
    return m_run->hits;
}

std::uint64_t StoreSearch::files() const
{
    return m_job.control() ? m_job.control()->entries() : 0;
}

std::uint64_t StoreSearch::directories() const
{
    return m_job.control() ? m_job.control()->directories() : 0;
}

void StoreSearch::drain()
{
    if (!m_run)
        return;
    QVector<SearchHit> hits;
    {
        std::lock_guard lock(m_run->mutex);
        hits.swap(m_run->pending);
    }
    m_hits->append(hits);
    Q_EMIT progress();
}

void StoreSearch::finish(const Outcome &outcome)
{
    m_poll.stop();
    drain();
    Outcome o = outcome;
    o.hits = hitCount();
    Q_EMIT finished(o);
}

} // namespace strata
