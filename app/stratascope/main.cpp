// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/stratascope/script.h"
#include "app/stratascope/scripteddriver.h"
#include "core/util/filelimit.h"
#include "ui/common/ink.h"
#include "ui/common/windowgeometry.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QIcon>
#include <QScreen>

#include <cstdio>

int main(int argc, char **argv)
{
    strata::raiseFileLimit();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("stratascope"));
    QApplication::setOrganizationName(QStringLiteral("Stratascope"));
    QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/stratascope/icons/stratascope.png")));
    QApplication::setDesktopFileName(QStringLiteral("stratascope"));

    // Checked before any window shows up.
    auto script = strata::Script::fromArguments(QApplication::arguments());
    if (!script) {
        std::fprintf(stderr, "stratascope: %s\n", qPrintable(script.error().message));
        return 2;
    }
    if (script->dark) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(strata::Ink::darkPalette());
    }
    strata::MainWindow window;
    if (script->images) // room for the Images & Containers panel
        window.resize(window.screen()->availableSize().boundedTo(QSize(1400, 900)));
    // A scripted run (a screenshot, --quit) looks the same every time: nothing remembered.
    const bool remember = script->screenshot.isEmpty() && !script->quit;
    if (remember)
        strata::WindowGeometry::restore(&window);
    window.show();
    window.checkStaleMounts();
    if (remember)
        QObject::connect(
            &app, &QApplication::aboutToQuit, &window, [&window] { strata::WindowGeometry::save(&window); });
    const bool quit = script->quit;
    auto *driver = new strata::ScriptedDriver(window, std::move(script.value()));
    if (!driver->start() && quit)
        return 1;
    return QApplication::exec();
}
