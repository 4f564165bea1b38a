// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/lesson/lesson.h"
#include "core/session/mountcontroller.h"
#include "ui/images/dockerpanel.h"
#include "ui/mainwindow.h"

#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("stratascope"));
    QApplication::setOrganizationName(QStringLiteral("Stratascope"));
    QApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/stratascope/icons/stratascope.png")));
    QApplication::setDesktopFileName(QStringLiteral("stratascope"));

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
    const QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"),
        QStringLiteral("Milliseconds to wait after the last step before --screenshot (to catch an animation "
                       "half-way, say); default 300."),
        QStringLiteral("MS"));
    const QCommandLineOption quit(
        QStringLiteral("quit"), QStringLiteral("Quit once the view is ready (after --screenshot)."));
    const QCommandLineOption docker(QStringLiteral("docker"),
        QStringLiteral("Open the Docker panel on ROOT (default /var/lib/docker): --docker, --docker ROOT or "
                       "--docker=ROOT."),
        QStringLiteral("ROOT"));
    const QCommandLineOption dockerOpen(QStringLiteral("docker-open"),
        QStringLiteral("With --docker: show this container or image (name, tag or ID) in the merged view."),
        QStringLiteral("REF"));
    const QCommandLineOption edit(QStringLiteral("edit"),
        QStringLiteral("An edit to make once the view is ready, as for `strata op` (\"rm /base_image/common.txt\"); "
                       "repeat for several, in order."),
        QStringLiteral("VERB ARGS"));
    const QCommandLineOption backendOpt(QStringLiteral("backend"),
        QStringLiteral("How edits reach the overlay: auto (root: kernel; else a user namespace; else fuse; else the "
                       "engine), kernel, userns, fuse or engine."),
        QStringLiteral("B"),
        QStringLiteral("auto"));
    const QCommandLineOption replay(QStringLiteral("replay"),
        QStringLiteral(
            "Play a lesson (built-in name or .lesson file) to its end, step by step, then --screenshot / --quit."),
        QStringLiteral("LESSON"));
    const QCommandLineOption presentationOpt(
        QStringLiteral("presentation"), QStringLiteral("Start in presentation mode (large, high contrast)."));
    const QCommandLineOption sideBySide(
        QStringLiteral("side-by-side"), QStringLiteral("Start on the layers shown side by side."));
    parser.addOptions({lesson,
        select,
        screenshot,
        screenshotDelay,
        quit,
        docker,
        dockerOpen,
        edit,
        backendOpt,
        sideBySide,
        replay,
        presentationOpt});
    // "--docker" may come without ROOT: give it the default so the parser accepts it.
    QStringList args = QApplication::arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--docker")
            && (i + 1 == args.size() || args.at(i + 1).startsWith(QLatin1Char('-'))))
            args[i] = QStringLiteral("--docker=/var/lib/docker");
    }
    parser.process(args);
    const bool dockerMode = parser.isSet(docker);

    // Checked before any window shows up.
    const auto backend = strata::parseBackend(parser.value(backendOpt));
    if (!backend) {
        std::fprintf(stderr,
            "stratascope: unknown backend \"%s\"; one of: auto, kernel, userns, fuse, engine\n",
            qPrintable(parser.value(backendOpt)));
        return 2;
    }
    strata::MainWindow window;
    if (dockerMode) // room for the Docker panel below the merged view
        window.resize(window.screen()->availableSize().boundedTo(QSize(1400, 900)));
    window.show();
    window.checkStaleMounts();
    if (parser.isSet(select))
        window.selectPath(parser.value(select));
    const auto finish = [&] {
        QTimer::singleShot(parser.isSet(screenshotDelay) ? parser.value(screenshotDelay).toInt() : 300, &window, [&] {
            if (parser.isSet(screenshot))
                window.grab().save(parser.value(screenshot));
            if (parser.isSet(quit))
                QApplication::quit();
        });
    };
    const bool waitForTree
        = (!dockerMode || parser.isSet(dockerOpen) || !parser.positionalArguments().isEmpty()) && !parser.isSet(replay);
    window.setBackend(*backend);
    if (parser.isSet(sideBySide))
        window.showCenterTab(1);
    if (parser.isSet(presentationOpt))
        window.setPresentationMode(true);
    // Edits from the command line, one per finished scan (each edit rescans).
    QStringList pendingEdits = parser.values(edit);
    if ((parser.isSet(screenshot) || parser.isSet(quit) || !pendingEdits.isEmpty()) && waitForTree) {
        QObject::connect(&window, &strata::MainWindow::treeReady, &window, [&] {
            if (!pendingEdits.isEmpty()) {
                const QString next = pendingEdits.takeFirst();
                QTimer::singleShot(0, &window, [&window, next] {
                    // "write /a/b some text": the last argument may contain spaces.
                    QStringList parts = next.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                    if (parts.size() > 3
                        && (parts.first() == QLatin1String("write") || parts.first() == QLatin1String("append")))
                        parts = QStringList {parts.at(0), parts.at(1), parts.mid(2).join(QLatin1Char(' '))};
                    window.applyEdit(parts);
                });
                return;
            }
            if (parser.isSet(select))
                window.selectPath(parser.value(select));
            if (parser.isSet(screenshot) || parser.isSet(quit)) {
                // The side-by-side columns scan on their own; give them their moment.
                QTimer::singleShot(
                    parser.isSet(sideBySide) && !parser.isSet(screenshotDelay) ? 700 : 0, &window, finish);
            }
        });
    }
    bool ok = true;
    if (dockerMode) {
        strata::DockerPanel *panel = window.showDockerPanel(parser.value(docker));
        QObject::connect(
            panel,
            &strata::DockerPanel::loaded,
            &window,
            [&, panel](bool loaded) {
                if (parser.isSet(dockerOpen)) {
                    if (!panel->openRef(parser.value(dockerOpen)) && parser.isSet(quit))
                        QApplication::exit(1);
                } else if ((parser.isSet(screenshot) || parser.isSet(quit)) && !waitForTree) {
                    finish();
                }
                if (!loaded && parser.isSet(quit) && !parser.isSet(screenshot))
                    QApplication::exit(1);
            },
            Qt::SingleShotConnection);
    }
    if (!parser.positionalArguments().isEmpty())
        ok = window.openWorkspace(parser.positionalArguments().first());
    else if (parser.isSet(replay)) {
        // One step per finished scan, then the screenshot / quit.
        ok = window.startLesson(parser.value(replay));
        QObject::connect(&window, &strata::MainWindow::treeReady, &window, [&] {
            QTimer::singleShot(0, &window, [&] {
                if (!window.lessonNext() && (parser.isSet(screenshot) || parser.isSet(quit)))
                    finish();
            });
        });
    } else if (parser.isSet(lesson)
        && (strata::Lesson::builtInNames().contains(parser.value(lesson))
            || parser.value(lesson).endsWith(QLatin1String(".lesson"))))
        ok = window.startLesson(parser.value(lesson));
    else if (!dockerMode)
        ok = window.openScenario(parser.isSet(lesson) ? parser.value(lesson) : QStringLiteral("blog"));
    if (!ok && parser.isSet(quit))
        return 1;
    return QApplication::exec();
}
