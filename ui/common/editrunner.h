// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/mergedoperation.h"
#include "core/session/stacksession.h"
#include "core/util/result.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace strata
{

/// Runs one edit at a time in the background (runInBackground) through a StackSession, which
/// it keeps for the next edits of the same overlay and backend (a kernel session's picture of
/// the lower layers is taken once). Opening the session happens in the background too. While
/// an edit runs the runner is busy and refuses another one; the window shows that state.
class EditRunner final : public QObject
{
    Q_OBJECT
public:
    using SessionFactory = std::function<Result<std::unique_ptr<StackSession>>()>;
    struct Done {
        Result<StackSession::Outcome> outcome = Error {};
        bool opened = false; ///< false: the session could not be opened (outcome says why)
        QString how; ///< the session's describe()
        QString verb; ///< the edit's `strata op` verb, for explaining a refusal
    };

    explicit EditRunner(QObject *parent = nullptr);
    /// Waits for the edit that runs, if any: edits cannot be interrupted half-way.
    ~EditRunner() override;

    /// Starts `operation`. `sessionKey` says which overlay and backend it is for: another key
    /// than the kept session's opens a new one with `open` (in the background). False when busy.
    [[nodiscard]] bool start(const MergedOperation &operation, const QString &sessionKey, SessionFactory open);
    [[nodiscard]] bool isBusy() const { return m_busy; }
    /// Forgets the kept session (the stack changed under it); the next edit opens a new one.
    void reset();

Q_SIGNALS:
    void busyChanged(bool busy);
    /// The edit is over (done, refused by the filesystem, or its session could not be opened).
    void finished(const strata::EditRunner::Done &done);

private:
    struct Run {
        Done done;
        std::shared_ptr<StackSession> session;
    };

    std::shared_ptr<StackSession> m_session;
    QString m_sessionKey;
    QFuture<std::shared_ptr<const Run>> m_future;
    bool m_busy = false;
    bool m_dropSession = false;
};

} // namespace strata
