// SPDX-License-Identifier: GPL-2.0-or-later
// Times the main window on a workspace: opening it (merged view and every layer column
// scanned) and one edit through the engine (the edit, then the rescan of the view and the
// columns). Prints milliseconds; tests/bench/bench_gui.sh compares them with find.
#include "core/session/mountcontroller.h"
#include "ui/mainwindow.h"
#include "ui/stage/layercolumns.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <cstdio>

namespace
{
// Both the merged view and the columns are in.
bool waitBoth(QSignalSpy &tree, QSignalSpy &columns)
{
    while (tree.isEmpty() || columns.isEmpty()) {
        if (!(tree.isEmpty() ? tree.wait(600000) : columns.wait(600000)))
            return false;
    }
    return true;
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: strata_benchwindow WORKSPACE PATH-TO-TOUCH [BACKEND]\n");
        return 2;
    }
    strata::MainWindow w;
    w.setAnimationSpeed(0);
    // Third argument: the backend edits go through (default: the engine).
    const auto backend = strata::parseBackend(argc > 3 ? QString::fromLocal8Bit(argv[3]) : QStringLiteral("engine"));
    if (!backend)
        return 2;
    w.setBackend(*backend);
    QSignalSpy tree(&w, &strata::MainWindow::treeReady);
    QSignalSpy columns(w.layerColumns(), &strata::LayerColumns::ready);
    QElapsedTimer t;
    t.start();
    if (!w.openWorkspace(QString::fromLocal8Bit(argv[1])) || !waitBoth(tree, columns))
        return 1;
    const qint64 open = t.elapsed();
    // The watch for outside edits is set up in the background meanwhile: let it finish, as
    // it has long before a person makes the first edit.
    QSignalSpy watching(w.mounts(), &strata::MountController::watching);
    if (!w.mounts()->isWatching() && w.mounts()->isWatchStarting())
        (void)watching.wait(600000);
    tree.clear();
    columns.clear();
    t.restart();
    if (w.applyEdit({QStringLiteral("touch"), QString::fromLocal8Bit(argv[2])}) != 0 || !waitBoth(tree, columns))
        return 1;
    const qint64 edit = t.elapsed();
    // A second edit: the session (a kernel session's picture of the lower layers) is kept.
    tree.clear();
    columns.clear();
    t.restart();
    if (w.applyEdit({QStringLiteral("touch"), QString::fromLocal8Bit(argv[2]) + QStringLiteral("_2")}) != 0
        || !waitBoth(tree, columns))
        return 1;
    const qint64 again = t.elapsed();
    std::printf(
        "%lld %lld %lld\n", static_cast<long long>(open), static_cast<long long>(edit), static_cast<long long>(again));
    return 0;
}
