// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once
// Steps of the window tests (header only: the GUI tests link strata_ui, the support library
// does not).

#include "ui/mainwindow.h"

#include <QSignalSpy>
#include <QTemporaryDir>

namespace strata::test
{

/// A scenario opened in the window, and its merged view shown.
inline bool openAndShow(MainWindow &w, QSignalSpy &ready, const QString &scenario, const QString &dir)
{
    return w.openScenario(scenario, dir) && ready.wait(10000);
}

/// One edit, to its end: the errno of a refusal at once, else what editFinished() says.
inline int editToEnd(MainWindow &w, const QStringList &verbAndArgs)
{
    QSignalSpy finished(&w, &MainWindow::editFinished);
    const int refused = w.applyEdit(verbAndArgs);
    if (refused != 0)
        return refused;
    return finished.wait(30000) ? finished.first().first().toInt() : -1;
}

/// A window on a fresh copy of a scenario, edits made by the engine (no mount needed).
struct EngineWindow {
    MainWindow w;
    QSignalSpy ready {&w, &MainWindow::treeReady};
    QTemporaryDir dir;

    [[nodiscard]] bool open(const QString &scenario)
    {
        if (!openAndShow(w, ready, scenario, dir.filePath(scenario)))
            return false;
        w.setUseEngine(true);
        return true;
    }
};

} // namespace strata::test
