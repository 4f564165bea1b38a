// SPDX-License-Identifier: GPL-2.0-or-later
#include "lessonplayer.h"

#include "core/lesson/lessonchange.h"
#include "core/stack/workspace.h"
#include "core/util/background.h"
#include "ui/lesson/lessonhost.h"

#include <QDir>

namespace strata
{

LessonPlayer::LessonPlayer(LessonHost *host, QObject *parent) : QObject(parent), m_host(host)
{
    m_autoPlay.setInterval(5000);
    connect(&m_autoPlay, &QTimer::timeout, this, [this] {
        if (isBusy())
            return; // the next tick
        if (!next()) {
            m_autoPlay.stop();
            Q_EMIT autoPlayStopped();
        }
    });
}

LessonPlayer::~LessonPlayer()
{
    m_snapshotJob.waitForFinished();
    m_restoreJob.waitForFinished();
}

int LessonPlayer::stepCount() const
{
    return m_lesson ? static_cast<int>(m_lesson->steps().size()) : 0;
}

QString LessonPlayer::narration() const
{
    return m_lesson && m_step > 0 ? m_lesson->steps().at(m_step - 1).say : QString();
}

QString LessonPlayer::selection() const
{
    return m_lesson && m_step > 0 ? m_lesson->steps().at(m_step - 1).select : QString();
}

QString LessonPlayer::counterText() const
{
    return m_lesson ? tr("%1 — step %2 of %3").arg(m_lesson->title()).arg(m_step).arg(stepCount()) : QString();
}

Status LessonPlayer::start(const QString &nameOrFile)
{
    if (isBusy())
        return Error {EBUSY, tr("The lesson is still busy with a step.")};
    auto lesson = Lesson::load(nameOrFile);
    if (!lesson)
        return lesson.error();
    m_lesson = std::move(lesson.value());
    m_step = 0;
    m_saved.clear();
    m_snapshotDir = std::make_unique<QTemporaryDir>();
    if (!m_snapshotDir->isValid())
        return Error {EIO, tr("Cannot make a folder for the lesson's snapshots: %1").arg(m_snapshotDir->errorString())};
    m_host->truncateTimeline(0);
    if (!m_host->openLessonScenario(m_lesson->scenario())) {
        m_lesson.reset();
        return Error {EIO, tr("Cannot create the lesson's scenario.")};
    }
    if (!m_lesson->options().isEmpty() && m_host->lessonWorkspace()) {
        auto set = LessonChange::withOptions(*m_host->lessonWorkspace(), -1, m_lesson->options());
        if (!set) {
            m_lesson.reset();
            return set.error();
        }
        m_host->setLessonWorkspace(*set);
    }
    next();
    return {};
}

bool LessonPlayer::next()
{
    if (!m_lesson || m_step >= stepCount())
        return false;
    // One step at a time: a press while a step runs is dropped (the lesson is not over).
    if (!isBusy())
        play(m_step);
    return true;
}

bool LessonPlayer::previous()
{
    if (!m_lesson || m_step <= 1 || isBusy())
        return false;
    if (!m_saved.contains(m_step - 1)) {
        Q_EMIT problem(tr("There is no snapshot of step %1 to go back to.").arg(m_step - 1));
        return false;
    }
    restoreTo(m_step - 1);
    return true;
}

void LessonPlayer::setAutoPlay(bool on)
{
    if (on)
        m_autoPlay.start();
    else
        m_autoPlay.stop();
}

void LessonPlayer::setWaiting(Waiting waiting)
{
    const bool wasBusy = isBusy();
    m_waiting = waiting;
    if (wasBusy != isBusy())
        m_host->setLessonBusy(isBusy());
}

void LessonPlayer::play(int index)
{
    // The narration is up at once; the step's edit follows once the state before it is kept.
    m_step = index + 1;
    Q_EMIT stepShown();
    if (m_saved.contains(index) || !m_host->lessonWorkspace()) {
        perform(index);
        return;
    }
    setWaiting(Waiting::Work);
    const Workspace workspace = *m_host->lessonWorkspace();
    const QString dir = QDir(m_snapshotDir->path()).filePath(QString::number(++m_snapshots));
    const int timeline = m_host->timelineCount();
    m_snapshotJob = runInBackground([workspace, dir] { return StackSnapshot::take(workspace, dir); });
    continueOn(m_snapshotJob, this, [this, index, timeline, workspace](const Result<StackSnapshot> &taken) {
        if (taken)
            m_saved.insert(index, {std::make_shared<const StackSnapshot>(*taken), workspace, timeline});
        else
            Q_EMIT problem(tr("Step %1 cannot be undone later: %2").arg(index + 1).arg(taken.error().message));
        perform(index);
    });
}

int LessonPlayer::overlayOf(int step) const
{
    // A step without an overlay stays in the one shown before it.
    const Workspace *ws = m_host->lessonWorkspace();
    for (int j = step - 1; j >= 0 && ws; --j) {
        const QString &name = m_lesson->steps().at(j).overlay;
        if (!name.isEmpty())
            return std::max(0, ws->indexOf(name));
    }
    return 0;
}

bool LessonPlayer::changeWorkspace(const Lesson::Step &step)
{
    const Workspace *ws = m_host->lessonWorkspace();
    if (!step.changesWorkspace() || !ws)
        return true;
    auto changed = LessonChange::apply(*ws, step, overlayOf(m_step - 1));
    if (!changed) {
        Q_EMIT problem(tr("Step %1 cannot change the stack: %2").arg(m_step).arg(changed.error().message));
        return false;
    }
    m_host->setLessonWorkspace(*changed);
    return true;
}

void LessonPlayer::perform(int index)
{
    const Lesson::Step &step = m_lesson->steps().at(index);
    if (!changeWorkspace(step)) {
        done();
        return;
    }
    const bool edit = !step.edit.isEmpty();
    // Narration only: the view is refreshed all the same (auto-play and --replay wait for it).
    setWaiting(edit ? Waiting::Edit : Waiting::View);
    m_host->showLessonOverlay(overlayOf(index + 1), !edit);
    if (edit && !m_host->startLessonEdit(step.edit))
        done();
}

void LessonPlayer::restoreTo(int step)
{
    const Workspace *ws = m_host->lessonWorkspace();
    if (!ws)
        return;
    const Saved saved = m_saved.value(step);
    // The narration goes back at once; the uppers follow once they are put back.
    m_step = step;
    Q_EMIT stepShown();
    setWaiting(Waiting::Work);
    m_host->prepareRestore();
    const Workspace now = *ws;
    const bool changed = now.toJson() != saved.workspace.toJson();
    m_restoreJob = runInBackground([now, saved, changed]() -> Status {
        if (changed) {
            if (Status s = LessonChange::restore(now, saved.workspace); !s.ok())
                return s;
        }
        return saved.snapshot->restore(saved.workspace);
    });
    continueOn(m_restoreJob, this, [this, step, saved, changed](const Status &restored) {
        if (!restored.ok())
            Q_EMIT problem(tr("Could not put step %1 back: %2").arg(step).arg(restored.error().message));
        if (changed)
            m_host->setLessonWorkspace(saved.workspace);
        // What came after this step is gone: its later states will be kept again when replayed.
        for (auto it = m_saved.begin(); it != m_saved.end();)
            it = it.key() > step ? m_saved.erase(it) : std::next(it);
        m_host->truncateTimeline(saved.timelineCount);
        setWaiting(Waiting::View);
        m_host->showLessonOverlay(overlayOf(step), true);
    });
}

void LessonPlayer::editFinished()
{
    if (m_waiting == Waiting::Edit)
        m_waiting = Waiting::View; // the host rescans now
}

void LessonPlayer::viewReady()
{
    if (m_waiting == Waiting::View)
        done();
}

void LessonPlayer::done()
{
    setWaiting(Waiting::Nothing);
    Q_EMIT stepDone();
}

} // namespace strata
