// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/stratascope/script.h"

#include <QObject>

namespace strata
{

class MainWindow;

/// Plays a Script on a window: opens what it names, makes its edits one after the other (each
/// once the view shows the one before), replays a lesson step by step, then selects, takes the
/// screenshot and quits, as asked; or plays a lesson to one step and shoots it mid-animation
/// or after.
class ScriptedDriver final : public QObject
{
    Q_OBJECT
public:
    ScriptedDriver(MainWindow &window, Script script);

    /// Opens what the script names; false when that failed.
    [[nodiscard]] bool start();

private:
    /// --to-step: steps before N without animations, N at normal speed, then the shot.
    bool playToStep();
    void watchMiddlePhase();
    /// Polls until step N's captions and animation are over, then shoots.
    void shootWhenIdle();
    void openImages();
    void extractBeforeEdits();
    void nextStep();
    void finish();

    MainWindow &m_window;
    Script m_script;
    bool m_finishing = false;
    bool m_animated = false; // step N's captions started
    bool m_lastStepDone = false;
    int m_idleMs = 0;
};

} // namespace strata
