// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QFuture>
#include <QPointer>
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
/// own thread with continueOn() (or `.then(this, ...)`) and passes a ScanControl into `work` for
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

/// `future.then(context, done)`, except that `done` never runs inside this call: when the work
/// is already over (a scan of a tiny tree can be), `done` is queued to the event loop, so the
/// caller's state (and a test's signal spy) is in place before the result lands. `done` takes
/// the result by const reference, or nothing for a QFuture<void>.
template<typename T, typename Done>
void continueOn(QFuture<T> future, QObject *context, Done &&done)
{
    auto inside = std::make_shared<bool>(true);
    QPointer<QObject> guard(context);
    auto call = [inside, guard, done = std::forward<Done>(done)](auto &&...result) mutable {
        if (!*inside) {
            done(result...);
            return;
        }
        QMetaObject::invokeMethod(
            guard.data(), [done = std::move(done), result...]() mutable { done(result...); }, Qt::QueuedConnection);
    };
    if constexpr (std::is_void_v<T>)
        future.then(context, [call = std::move(call)]() mutable { call(); });
    else
        future.then(context, [call = std::move(call)](const T &result) mutable { call(result); });
    *inside = false;
}

} // namespace strata
