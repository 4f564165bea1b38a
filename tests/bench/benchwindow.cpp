// SPDX-License-Identifier: GPL-2.0-or-later
// Times the main window on a workspace, shown (offscreen): opening it (merged view and every
// layer column scanned), and two edits: from the edit asked for to the first painted frame of
// its animation, and to every view showing it. Prints milliseconds; tests/bench/bench_gui.sh
// compares them with find.
#include "core/session/mountcontroller.h"
#include "ui/mainwindow.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/eventanimator.h"
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

struct EditTimes {
    qint64 frame = -1; ///< to the first painted frame of the edit's animation
    qint64 done = -1; ///< to every view showing the edit
};

// One edit (touch PATH): when its first caption shows, the animation's first frame is painted.
bool timeEdit(strata::MainWindow &w, const QString &path, EditTimes &out)
{
    QSignalSpy tree(&w, &strata::MainWindow::treeReady);
    QSignalSpy columns(w.layerColumns(), &strata::LayerColumns::ready);
    QElapsedTimer t;
    QObject::connect(
        w.captions(),
        &strata::CaptionBanner::showing,
        &w,
        [&w, &t, &out] {
            if (out.frame >= 0)
                return;
            w.layerColumns()->animator()->repaint();
            out.frame = t.elapsed();
        },
        Qt::DirectConnection);
    t.start();
    if (w.applyEdit({QStringLiteral("touch"), path}) != 0 || !waitBoth(tree, columns))
        return false;
    out.done = t.elapsed();
    QSignalSpy shown(w.captions(), &strata::CaptionBanner::showing);
    while (out.frame < 0) {
        if (!shown.wait(600000))
            return false;
    }
    QObject::disconnect(w.captions(), &strata::CaptionBanner::showing, &w, nullptr);
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
    // Third argument: the backend edits go through (default: the engine).
    const auto backend = strata::parseBackend(argc > 3 ? QString::fromLocal8Bit(argv[3]) : QStringLiteral("engine"));
    if (!backend)
        return 2;
    w.setBackend(*backend);
    w.resize(1280, 800);
    w.show();
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
    // The second edit keeps the session (a kernel session's picture of the lower layers).
    EditTimes first;
    EditTimes again;
    const QString path = QString::fromLocal8Bit(argv[2]);
    if (!timeEdit(w, path, first) || !timeEdit(w, path + QStringLiteral("_2"), again))
        return 1;
    std::printf("%lld %lld %lld %lld %lld\n",
        static_cast<long long>(open),
        static_cast<long long>(first.frame),
        static_cast<long long>(again.frame),
        static_cast<long long>(first.done),
        static_cast<long long>(again.done));
    return 0;
}
