// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/status.h"
#include "ui/lesson/lessonhost.h"
#include "ui/lesson/lessonplayer.h"

#include <functional>

namespace strata
{

class EditRunner;
class LessonPanel;
class MountController;
class Stage;
class Timeline;

/// The window as a LessonHost: it plays the lesson (LessonPlayer) on the window's stack, and
/// shows its narration (LessonPanel) on the stage, beside the captions.
class WindowLessonHost final : private LessonHost
{
public:
    /// The window's parts a lesson changes; none is owned.
    struct Parts {
        Stage *stage = nullptr;
        Timeline *timeline = nullptr;
        MountController *mounts = nullptr;
        EditRunner *runner = nullptr;
    };
    /// What stays the window's.
    struct Window {
        std::function<bool(const QString &scenario)> openScenario;
        std::function<const Workspace *()> workspace;
        /// Shows another workspace, no overlay selected yet (and never remembered as recent).
        std::function<void(const Workspace &)> setWorkspace;
        std::function<int()> overlay; ///< the overlay shown, -1 for none
        std::function<void(int index)> showOverlay;
        std::function<void()> rescan;
        /// Starts an edit in the overlay shown: 0, or the errno of a refusal.
        std::function<int(const QStringList &edit)> startEdit;
        /// A lesson step started or ended: the window's busy state follows.
        std::function<void()> busyChanged;
    };
    WindowLessonHost(const Parts &parts, Window window);

    /// Starts a lesson (built-in name or .lesson file); the narration panel comes the first time.
    [[nodiscard]] Status start(const QString &nameOrFile);
    [[nodiscard]] LessonPlayer &player() { return m_player; }
    [[nodiscard]] const LessonPlayer &player() const { return m_player; }
    /// A lesson step runs.
    [[nodiscard]] bool isBusy() const { return m_busy; }
    /// The window is busy (an edit or a step): the panel's buttons wait.
    void setWindowBusy(bool busy);
    [[nodiscard]] QString narration() const;

private:
    bool openLessonScenario(const QString &scenario) override { return m_window.openScenario(scenario); }
    [[nodiscard]] const Workspace *lessonWorkspace() const override { return m_window.workspace(); }
    void setLessonWorkspace(const Workspace &workspace) override;
    void showLessonOverlay(int index, bool rescan) override;
    bool startLessonEdit(const QStringList &edit) override { return m_window.startEdit(edit) == 0; }
    [[nodiscard]] int timelineCount() const override;
    void truncateTimeline(int count) override;
    void prepareRestore() override;
    void setLessonBusy(bool busy) override;
    /// Nothing mounted or watched, no session kept: the stack changes under them.
    void forgetStack();

    Parts m_parts;
    Window m_window;
    LessonPlayer m_player;
    LessonPanel *m_panel = nullptr; // on the stage once a lesson started
    bool m_busy = false;
};

} // namespace strata
