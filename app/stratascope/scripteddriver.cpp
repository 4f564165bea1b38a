// SPDX-License-Identifier: GPL-2.0-or-later
#include "scripteddriver.h"

#include "core/events/mergedoperation.h"
#include "core/lesson/lesson.h"
#include "ui/images/imageopener.h"
#include "ui/images/imagespanel.h"
#include "ui/mainwindow.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layercolumns.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

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
    if (steps && m_script.waitsForTree() && !m_script.toStep) // --to-step shoots when its step is over
        connect(&m_window, &MainWindow::treeReady, this, &ScriptedDriver::nextStep);
    if (m_script.images)
        openImages();
    if (!m_script.workspace.isEmpty()) {
        // An image archive (not a workspace) opens read-only; edits need it extracted first.
        if (!ImageOpener::isWorkspace(m_script.workspace) && ImageOpener::looksLikeImage(m_script.workspace)) {
            if (m_script.quit)
                connect(&m_window, &MainWindow::imageFailed, this, [] { QApplication::exit(1); });
            if (!m_script.edits.isEmpty())
                extractBeforeEdits();
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
    if (m_script.toStep)
        return playToStep();
    const QString &lesson = m_script.lesson;
    if (Lesson::builtInNames().contains(lesson) || lesson.endsWith(QLatin1String(".lesson")))
        return m_window.startLesson(lesson);
    if (!m_script.images)
        return m_window.openScenario(lesson.isEmpty() ? QStringLiteral("blog") : lesson);
    return true;
}

bool ScriptedDriver::playToStep()
{
    const int last = *m_script.toStep;
    // Earlier steps only set the scene: no captions, no movement.
    m_window.setAnimationSpeed(last == 1 ? 1.0 : 0.0);
    connect(&m_window, &MainWindow::lessonStepDone, this, [this, last] {
        const int step = m_window.lessonStep();
        if (step < last) {
            if (step + 1 == last)
                m_window.setAnimationSpeed(1.0);
            m_window.lessonNext();
        } else if (step == last && !m_lastStepDone) {
            m_lastStepDone = true;
            shootWhenIdle();
        }
    });
    connect(m_window.captions(), &CaptionBanner::showing, this, [this, last] {
        if (m_window.lessonStep() == last)
            m_animated = true;
    });
    if (m_script.mid)
        watchMiddlePhase();
    return m_window.startLesson(m_script.lesson);
}

void ScriptedDriver::watchMiddlePhase()
{
    const EventAnimator *animator = m_window.layerColumns()->animator();
    connect(animator, &EventAnimator::phaseStarted, this, [this, animator](int phase) {
        const auto &a = animator->current();
        // The last phase only fades out: the middle one of the story before it.
        if (m_finishing || m_window.lessonStep() != *m_script.toStep || !a
            || phase != (static_cast<int>(a->phases.size()) - 1) / 2)
            return;
        m_finishing = true;
        const double speed = animator->speed() > 0 ? animator->speed() : 1.0;
        const int half = static_cast<int>(a->phases.at(phase).durationMs / speed / 2);
        QTimer::singleShot(half, this, [this] {
            if (!m_script.screenshot.isEmpty())
                m_window.grab().save(m_script.screenshot);
            if (m_script.quit)
                QApplication::quit();
        });
    });
}

void ScriptedDriver::shootWhenIdle()
{
    if (m_finishing)
        return;
    const bool idle
        = !m_window.isBusy() && !m_window.captions()->isPlaying() && !m_window.layerColumns()->animator()->isRunning();
    m_idleMs = idle ? m_idleMs + 100 : 0;
    // A step with an edit waits for its captions; one without, or one whose edit said
    // nothing, is over once the view has been still for a while.
    const bool over = m_animated || !m_script.toStepEdits ? m_idleMs >= 300 : m_idleMs >= 4000;
    if (over) {
        if (m_script.mid)
            std::fprintf(stderr, "stratascope: step %d has no animation; the shot is after it\n", *m_script.toStep);
        finish();
        return;
    }
    QTimer::singleShot(100, this, &ScriptedDriver::shootWhenIdle);
}

void ScriptedDriver::extractBeforeEdits()
{
    // The read-only view's tree is not the one to edit: the steps start with the stack's.
    disconnect(&m_window, &MainWindow::treeReady, this, &ScriptedDriver::nextStep);
    connect(&m_window,
        &MainWindow::imageShown,
        &m_window,
        &MainWindow::extractImage,
        Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    connect(
        &m_window,
        &MainWindow::imageOpened,
        this,
        [this] { connect(&m_window, &MainWindow::treeReady, this, &ScriptedDriver::nextStep); },
        Qt::SingleShotConnection);
}

void ScriptedDriver::openImages()
{
    ImagesPanel *panel = m_window.imagesPanel();
    if (m_script.docker) {
        StoreSources::Roots roots = panel->roots();
        roots.docker = m_script.dockerRoot;
        panel->setRoots(roots);
    }
    connect(
        panel,
        &ImagesPanel::sourcesFound,
        this,
        [this, panel] {
            const bool loaded = m_script.docker ? panel->selectSourceKind(QStringLiteral("Docker")) : true;
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
    m_window.showImagesPanel();
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
