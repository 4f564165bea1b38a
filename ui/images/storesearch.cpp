// SPDX-License-Identifier: GPL-2.0-or-later
#include "storesearch.h"

#include "core/image/layersearch.h"
#include "core/util/background.h"
#include "core/util/scancontrol.h"
#include "ui/images/searchhitsmodel.h"

#include <mutex>

namespace strata
{

/// Shared by the worker, which fills `pending`, and the GUI thread, which drains it.
struct StoreSearch::Run {
    ScanControl control;
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
    stop();
}

void StoreSearch::start(std::shared_ptr<const ImageStore> store, bool grep, const QString &what)
{
    stop();
    m_hits->clear(grep);
    auto run = std::make_shared<Run>();
    m_run = run;
    m_running = true;
    m_future = runInBackground([store = std::move(store), run, grep, what] {
        LayerSearch search(*store);
        const LayerSearch::Sink sink = [&run](const SearchHit &h) {
            std::lock_guard lock(run->mutex);
            run->pending.push_back(h);
            ++run->hits;
            return true;
        };
        const Status st
            = grep ? search.grep(what.toUtf8(), sink, &run->control) : search.find(what, sink, &run->control);
        Outcome o;
        o.completed = st.ok();
        o.cancelled = run->control.isCancelled();
        if (!st.ok())
            o.error = st.error().message;
        o.files = run->control.entries();
        o.directories = run->control.directories();
        o.problems = search.problems();
        return o;
    });
    m_poll.start();
    m_future.then(this, [this, run](const Outcome &o) {
        // Qt runs this at once when the work is already done: report from the event loop all
        // the same, never from inside start().
        QMetaObject::invokeMethod(
            this, [this, run, o] { finish(run, o); }, Qt::QueuedConnection);
    });
}

void StoreSearch::cancel()
{
    if (m_run)
        m_run->control.cancel();
}

void StoreSearch::stop()
{
    cancel();
    m_future.waitForFinished();
    m_poll.stop();
    m_running = false;
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
    return m_run ? m_run->control.entries() : 0;
}

std::uint64_t StoreSearch::directories() const
{
    return m_run ? m_run->control.directories() : 0;
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

void StoreSearch::finish(const std::shared_ptr<Run> &run, const Outcome &outcome)
{
    // A search replaced by the next one never reports.
    if (run != m_run)
        return;
    m_poll.stop();
    drain();
    m_running = false;
    Outcome o = outcome;
    o.hits = hitCount();
    Q_EMIT finished(o);
}

} // namespace strata
