// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace strata
{

/// The pool long work runs on (scans, edits, store reads, searches): a few threads more than
/// cores, since most of that work waits on the disk. Data-parallel loops inside one job use
/// parallelFor() instead, so a job never waits for a slot of its own pool.
[[nodiscard]] QThreadPool &backgroundPool();

/// The one way to run long work off the calling thread (docs/architecture.md): `work` runs on
/// backgroundPool() and its result arrives in the returned future; the caller continues on its
/// own thread with continueOn() and passes a ScanControl into `work` for
/// progress and cancel. Whoever starts work waits for it (cancel, then waitForFinished) before
/// it goes away.
///
/// The result must be copyable: Qt 6.4's `.then(context, ...)` crashes on move-only results,
/// so big or move-only values travel as std::shared_ptr.
template<typename Work>
[[nodiscard]] auto runInBackground(Work &&work) -> QFuture<std::invoke_result_t<std::decay_t<Work>>>
{
    using T = std::invoke_result_t<std::decay_t<Work>>;
    static_assert(std::is_void_v<T> || std::is_copy_constructible_v<T>,
        "background results must be copyable (wrap move-only values in a std::shared_ptr)");
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    backgroundPool().start([promise, work = std::forward<Work>(work)]() mutable {
        if constexpr (std::is_void_v<T>)
            work();
        else
            promise->addResult(work());
        promise->finish();
    });
    return future;
}

/// Continues on `context`'s thread when `future` is over: `done` takes the result by const
/// reference (nothing for a QFuture<void>), always from the event loop, never inside this call,
/// and not at all once `context` is gone. Built on QFutureWatcher, not `.then(context, ...)`:
/// Qt 6.4's continuations can run twice when attached while the work finishes (a crash), and
/// run at once, inside the call, when it is already over.
template<typename T, typename Done>
void continueOn(QFuture<T> future, QObject *context, Done &&done)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(
        watcher, &QFutureWatcherBase::finished, watcher, [watcher, done = std::forward<Done>(done)]() mutable {
            watcher->deleteLater();
            if constexpr (std::is_void_v<T>)
                done();
            else
                done(watcher->future().result());
        });
    watcher->setFuture(future);
}

} // namespace strata
