// SPDX-License-Identifier: GPL-2.0-or-later
#include "scripteddriver.h"

#include "core/events/mergedoperation.h"
#include "core/lesson/lesson.h"
#include "ui/images/dockerpanel.h"
#include "ui/images/imageopener.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace strata
{

ScriptedDriver::ScriptedDriver(MainWindow &window, Script script)
    : QObject(&window), m_window(window), m_script(std::move(script))
{
}

bool ScriptedDriver::start()
{
    m_window.setBackend(m_script.backend);
    if (m_script.mergedOnly)
        m_window.showStageTab(Stage::MergedTab);
    if (m_script.presentation)
        m_window.setPresentationMode(true);
    if (!m_script.select.isEmpty())
        m_window.selectPath(m_script.select);
    const bool steps = !m_script.screenshot.isEmpty() || m_script.quit || !m_script.edits.isEmpty();
    if (steps && m_script.waitsForTree())
        connect(&m_window, &MainWindow::treeReady, this, &ScriptedDriver::nextStep);
    if (m_script.docker)
        openDocker();
    if (!m_script.workspace.isEmpty()) {
        // An image archive (not a workspace) opens as one: unpacked into a new stack.
        const QFileInfo path(m_script.workspace);
        const bool workspace = path.suffix() == QLatin1String("json")
            || (path.isDir() && QFileInfo::exists(QDir(path.filePath()).filePath(Workspace::DefaultFileName)));
        if (!workspace && ImageOpener::looksLikeImage(m_script.workspace)) {
            if (m_script.quit)
                connect(&m_window, &MainWindow::imageFailed, this, [] { QApplication::exit(1); });
            return m_window.openImage(m_script.workspace);
        }
        return m_window.openWorkspace(m_script.workspace);
    }
    if (!m_script.replay.isEmpty()) {
        // One step after the other, each once the view shows the one before; then the end.
        connect(&m_window, &MainWindow::lessonStepDone, this, [this] {
            if (!m_window.lessonNext() && (!m_script.screenshot.isEmpty() || m_script.quit))
                finish();
        });
        return m_window.startLesson(m_script.replay);
    }
    const QString &lesson = m_script.lesson;
    if (Lesson::builtInNames().contains(lesson) || lesson.endsWith(QLatin1String(".lesson")))
        return m_window.startLesson(lesson);
    if (!m_script.docker)
        return m_window.openScenario(lesson.isEmpty() ? QStringLiteral("blog") : lesson);
    return true;
}

void ScriptedDriver::openDocker()
{
    DockerPanel *panel = m_window.showDockerPanel(m_script.dockerRoot);
    connect(
        panel,
        &DockerPanel::loaded,
        this,
        [this, panel](bool loaded) {
            if (!m_script.dockerOpen.isEmpty()) {
                if (!panel->openRef(m_script.dockerOpen) && m_script.quit)
                    QApplication::exit(1);
            } else if ((!m_script.screenshot.isEmpty() || m_script.quit) && !m_script.waitsForTree()) {
                finish();
            }
            if (!loaded && m_script.quit && m_script.screenshot.isEmpty())
                QApplication::exit(1);
        },
        Qt::SingleShotConnection);
}

void ScriptedDriver::nextStep()
{
    if (m_window.isBusy() || m_finishing)
        return; // the edit's own rescan comes next
    if (!m_script.edits.isEmpty()) {
        const auto op = MergedOperation::parseLine(m_script.edits.takeFirst());
        QTimer::singleShot(0, &m_window, [this, args = QStringList {op->verb()} + op->args()] {
            if (m_window.applyEdit(args) != 0)
                nextStep(); // refused: its reason is in the status bar; on with the rest
        });
        return;
    }
    if (!m_script.select.isEmpty())
        m_window.selectPath(m_script.select);
    if (!m_script.screenshot.isEmpty() || m_script.quit) {
        // The side-by-side columns scan on their own; give them their moment.
        const int settle = !m_script.mergedOnly && !m_script.screenshotDelayMs ? 700 : 0;
        QTimer::singleShot(settle, this, &ScriptedDriver::finish);
    }
}

void ScriptedDriver::finish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    QTimer::singleShot(m_script.screenshotDelayMs.value_or(300), this, [this] {
        if (!m_script.screenshot.isEmpty())
            m_window.grab().save(m_script.screenshot);
        if (m_script.quit)
            QApplication::quit();
    });
}

} // namespace strata
