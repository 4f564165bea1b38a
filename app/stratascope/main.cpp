// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("stratascope"));
    QApplication::setOrganizationName(QStringLiteral("Stratascope"));
    QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Stratascope makes Linux OverlayFS visible."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("workspace"),
        QStringLiteral("A workspace file or directory. Without one, the built-in blog lesson "
                       "is created in a fresh temporary folder."),
        QStringLiteral("[WORKSPACE]"));
    const QCommandLineOption lesson(QStringLiteral("lesson"),
        QStringLiteral("Start on a built-in scenario: blog, stacked, docker-like."),
        QStringLiteral("NAME"));
    const QCommandLineOption select(QStringLiteral("select"),
        QStringLiteral("Select a merged path, e.g. /base_image/common.txt."),
        QStringLiteral("PATH"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Save the window as PNG once the view is ready."),
        QStringLiteral("PNG"));
    const QCommandLineOption quit(
        QStringLiteral("quit"), QStringLiteral("Quit once the view is ready (after --screenshot)."));
    parser.addOptions({lesson, select, screenshot, quit});
    parser.process(app);

    strata::MainWindow window;
    window.show();
    window.checkStaleMounts();
    if (parser.isSet(select))
        window.selectPath(parser.value(select));
    if (parser.isSet(screenshot) || parser.isSet(quit)) {
        QObject::connect(&window, &strata::MainWindow::treeReady, &window, [&] {
            if (parser.isSet(select))
                window.selectPath(parser.value(select));
            QTimer::singleShot(300, &window, [&] {
                if (parser.isSet(screenshot))
                    window.grab().save(parser.value(screenshot));
                if (parser.isSet(quit))
                    QApplication::quit();
            });
        });
    }
    bool ok = true;
    if (!parser.positionalArguments().isEmpty())
        ok = window.openWorkspace(parser.positionalArguments().first());
    else
        ok = window.openScenario(parser.isSet(lesson) ? parser.value(lesson) : QStringLiteral("blog"));
    if (!ok && parser.isSet(quit))
        return 1;
    return QApplication::exec();
}
