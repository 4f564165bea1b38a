// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

class Workspace;

/// What a LessonPlayer asks of the window it plays in.
class LessonHost
{
public:
    virtual ~LessonHost() = default;
    /// Creates the lesson's scenario afresh and shows it; false (with a message shown) on error.
    virtual bool openLessonScenario(const QString &scenario) = 0;
    [[nodiscard]] virtual const Workspace *lessonWorkspace() const = 0;
    /// The lesson changed the workspace (a new overlay, other options; the file is written):
    /// shows it, nothing mounted or selected yet. showLessonOverlay() follows.
    virtual void setLessonWorkspace(const Workspace &workspace) = 0;
    /// Shows overlay `index` (rescanning the view when it changes, or when `rescan`).
    virtual void showLessonOverlay(int index, bool rescan) = 0;
    /// Starts one edit in the overlay shown. The host calls LessonPlayer::editFinished() when it
    /// is over (done or refused) and rescans; then LessonPlayer::viewReady() when the view shows
    /// it. False when it could not start.
    virtual bool startLessonEdit(const QStringList &edit) = 0;
    [[nodiscard]] virtual int timelineCount() const = 0;
    virtual void truncateTimeline(int count) = 0;
    /// Before the uppers are put back: nothing mounted or watched, no session kept.
    virtual void prepareRestore() = 0;
    virtual void setLessonBusy(bool busy) = 0;
};

} // namespace strata
