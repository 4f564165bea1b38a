// SPDX-License-Identifier: GPL-2.0-or-later
#include "windowlessonhost.h"

#include "core/session/mountcontroller.h"
#include "ui/common/editrunner.h"
#include "ui/lesson/lessonpanel.h"
#include "ui/stage/stage.h"
#include "ui/stage/timeline.h"

namespace strata
{

WindowLessonHost::WindowLessonHost(const Parts &parts, Window window)
    : m_parts(parts), m_window(std::move(window)), m_player(this)
{
}

Status WindowLessonHost::start(const QString &nameOrFile)
{
    if (!m_panel) {
        m_panel = new LessonPanel(&m_player);
        m_panel->setObjectName(QStringLiteral("lessonPanel"));
        m_parts.stage->setNarration(m_panel); // on the stage, beside the captions
    }
    return m_player.start(nameOrFile);
}

void WindowLessonHost::setWindowBusy(bool busy)
{
    if (m_panel)
        m_panel->setBusy(busy);
}

QString WindowLessonHost::narration() const
{
    return m_panel ? m_panel->narration() : QString();
}

void WindowLessonHost::forgetStack()
{
    m_parts.mounts->clear();
    m_parts.runner->reset();
}

void WindowLessonHost::setLessonWorkspace(const Workspace &workspace)
{
    // Another set of overlays (or options): shown afresh, never remembered as recent.
    forgetStack();
    m_window.setWorkspace(workspace);
}

void WindowLessonHost::showLessonOverlay(int index, bool rescan)
{
    // After a restore nothing is selected in the controller: select again to watch again.
    if (index != m_window.overlay() || !m_parts.mounts->hasOverlay())
        m_window.showOverlay(index);
    else if (rescan)
        m_window.rescan();
}

int WindowLessonHost::timelineCount() const
{
    return m_parts.timeline->topLevelItemCount();
}

void WindowLessonHost::truncateTimeline(int count)
{
    m_parts.timeline->truncate(count);
}

void WindowLessonHost::prepareRestore()
{
    // The uppers are about to change under the overlay: nothing may be mounted, watched or kept.
    forgetStack();
    m_parts.stage->clearEvents();
}

void WindowLessonHost::setLessonBusy(bool busy)
{
    m_busy = busy;
    m_window.busyChanged();
}

} // namespace strata
