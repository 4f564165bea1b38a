// SPDX-License-Identifier: GPL-2.0-or-later
#include "editrunner.h"

#include "core/util/background.h"

#include <utility>

namespace strata
{

EditRunner::EditRunner(QObject *parent) : QObject(parent)
{
}

EditRunner::~EditRunner()
{
    m_future.waitForFinished();
}

void EditRunner::reset()
{
    m_session.reset();
    m_sessionKey.clear();
    m_dropSession = m_busy; // the session the running edit uses is out of date too
}

bool EditRunner::start(const MergedOperation &operation, const QString &sessionKey, SessionFactory open)
{
    if (m_busy)
        return false;
    std::shared_ptr<StackSession> session = sessionKey == m_sessionKey ? m_session : nullptr;
    m_busy = true;
    Q_EMIT busyChanged(true);
    m_future = runInBackground([operation, session, open = std::move(open)]() -> std::shared_ptr<const Run> {
        auto run = std::make_shared<Run>();
        run->done.verb = operation.verb();
        run->session = session;
        if (!run->session) {
            auto opened = open();
            if (!opened) {
                run->done.outcome = opened.error();
                return run;
            }
            run->session = std::move(opened.value());
        }
        run->done.opened = true;
        run->done.how = run->session->describe();
        run->done.outcome = run->session->apply(operation);
        return run;
    });
    continueOn(m_future, this, [this, sessionKey](const std::shared_ptr<const Run> &run) {
        const bool drop = std::exchange(m_dropSession, false);
        if (run->done.opened && !drop) {
            m_session = run->session;
            m_sessionKey = sessionKey;
        }
        m_busy = false;
        Q_EMIT busyChanged(false);
        Q_EMIT finished(run->done);
    });
    return true;
}

} // namespace strata
