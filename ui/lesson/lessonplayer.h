// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/lesson/lesson.h"
#include "core/stack/stacksnapshot.h"
#include "core/util/result.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

namespace strata
{

class LessonHost;

/// Plays a lesson in a window, step by step: each step shows its narration, selects its
/// overlay and makes its edit. Before a step changes anything, the state it starts from is
/// kept as a StackSnapshot (the uppers) with the workspace, so Previous puts that state back at
/// once — an overlay a step stacked goes again — instead of replaying the lesson from the start. Snapshots and restores
/// run in the background; Next or Previous pressed while a step runs is dropped.
class LessonPlayer final : public QObject
{
    Q_OBJECT
public:
    explicit LessonPlayer(LessonHost *host, QObject *parent = nullptr);
    ~LessonPlayer() override;

    /// Loads a lesson (built-in name or file), opens a fresh copy of its scenario and plays its
    /// first step.
    [[nodiscard]] Status start(const QString &nameOrFile);
    /// The next step. False when there is none (or no lesson); true but nothing done while a
    /// step still runs.
    bool next();
    /// Back one step: the state before the current step is put back. False at the first step.
    bool previous();
    [[nodiscard]] bool isActive() const { return m_lesson.has_value(); }
    [[nodiscard]] bool isBusy() const { return m_waiting != Waiting::Nothing; }
    [[nodiscard]] int step() const { return m_step; }
    [[nodiscard]] int stepCount() const;
    [[nodiscard]] QString narration() const;
    /// The path the current step speaks of (its `select`), empty when it names none.
    [[nodiscard]] QString selection() const;
    [[nodiscard]] QString counterText() const;
    void setAutoPlay(bool on);
    /// The host's edit is over (it rescans now).
    void editFinished();
    /// The host's view shows what is on disk now.
    void viewReady();

Q_SIGNALS:
    /// A step is shown (its narration and counter changed); its edit may still be running.
    void stepShown();
    /// The step is over: its edit made and the view showing it (or the previous state put back).
    void stepDone();
    void autoPlayStopped();
    /// Snapshot or restore failed; the lesson goes on without that step's snapshot.
    void problem(const QString &message);

private:
    struct Saved {
        std::shared_ptr<const StackSnapshot> snapshot;
        Workspace workspace; ///< as it was: a later step may stack an overlay or set options
        int timelineCount = 0;
    };
    enum class Waiting : unsigned char { Nothing, Work, Edit, View };

    void setWaiting(Waiting waiting);
    void play(int index);
    void perform(int index);
    /// The step's stack and options (LessonChange), shown by the host. False when refused.
    bool changeWorkspace(const Lesson::Step &step);
    void restoreTo(int step);
    void done();
    [[nodiscard]] int overlayOf(int step) const;

    LessonHost *m_host;
    std::optional<Lesson> m_lesson;
    int m_step = 0; ///< the step shown, 1-based; 0: none yet
    std::unique_ptr<QTemporaryDir> m_snapshotDir;
    QHash<int, Saved> m_saved; ///< state before step k+1 (after step k), by k
    QFuture<Result<StackSnapshot>> m_snapshotJob;
    QFuture<Status> m_restoreJob;
    Waiting m_waiting = Waiting::Nothing;
    int m_snapshots = 0;
    QTimer m_autoPlay;
};

} // namespace strata
