// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/background.h"
#include "core/util/scancontrol.h"

#include <QFuture>
#include <QObject>

#include <memory>
#include <utility>

namespace strata
{

/// One kind of long work an object of the GUI runs, at most one at a time, the one way
/// (docs/architecture.md): runInBackground with a ScanControl for progress and cancel, the
/// result handed back on the owner's thread with continueOn(), so never from inside start().
/// Work replaced by a later start()
/// never reports; work that is only stopped still does (cancelled, as it finished). The
/// owner keeps the job as a member, so destroying the owner stops the job and waits for it.
template<typename T>
class BackgroundJob final
{
public:
    BackgroundJob() = default;
    BackgroundJob(const BackgroundJob &) = delete;
    BackgroundJob &operator=(const BackgroundJob &) = delete;
    ~BackgroundJob() { stop(); }

    /// Stops the job still running (waiting for it), then runs `work(ScanControl &)` off the
    /// GUI thread; `done(const T &)` runs on `owner`'s thread with its result.
    template<typename Work, typename Done>
    void start(QObject *owner, Work &&work, Done &&done)
    {
        stop();
        auto control = std::make_shared<ScanControl>();
        m_control = control;
        const quint64 generation = ++m_generation;
        m_running = true;
        m_future = runInBackground([work = std::forward<Work>(work), control]() mutable { return work(*control); });
        continueOn(m_future, owner, [this, generation, done = std::forward<Done>(done)](const T &result) mutable {
            if (generation != m_generation)
                return;
            m_running = false;
            done(result);
        });
    }

    void cancel()
    {
        if (m_control)
            m_control->cancel();
    }
    /// Cancels and waits for the worker.
    void stop()
    {
        cancel();
        m_future.waitForFinished();
    }
    /// From start() until its result is handed over.
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// The counters of the last job (null before the first).
    [[nodiscard]] const ScanControl *control() const { return m_control.get(); }

private:
    std::shared_ptr<ScanControl> m_control;
    QFuture<T> m_future;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace strata
