// SPDX-License-Identifier: GPL-2.0-or-later
#include "mainmenus.h"

#include "core/lesson/lesson.h"
#include "core/lesson/lessonfolder.h"
#include "core/stack/scenario.h"
#include "ui/common/mountbar.h"
#include "ui/help/aboutdialog.h"
#include "ui/help/legenddialog.h"
#include "ui/lesson/lessonsdialog.h"
#include "ui/stage/editactions.h"

#include <QAction>
#include <QActionGroup>
#include <QDir>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>

namespace strata
{

MainMenus::MainMenus(QMainWindow *window, EditActions *edits, MountBar *mounts)
    : QObject(window), m_window(window), m_edits(edits)
{
    QToolBar *tb = window->addToolBar(tr("Main"));
    m_toolBar = tb;
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QMenu *file = window->menuBar()->addMenu(tr("&File"));
    buildFile(file);
    for (QAction *a : file->actions()) {
        if (a->property("toolbar").toBool())
            tb->addAction(a);
    }
    auto *lessonButton = new QToolButton;
    lessonButton->setText(tr("New from Lesson"));
    lessonButton->setIcon(window->style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    lessonButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    lessonButton->setPopupMode(QToolButton::InstantPopup);
    lessonButton->setMenu(file->findChild<QMenu *>(QStringLiteral("lessonsMenu")));
    tb->insertWidget(tb->actions().value(1), lessonButton);

    // Edits in the merged view: the Edit menu and the tool bar (the views add context menus).
    QMenu *edit = window->menuBar()->addMenu(tr("&Edit"));
    m_edit = edit;
    edit->addActions(edits->actions());
    edit->addSeparator();
    m_engine = new QAction(tr("Edit with the userspace &engine (no mount)"), this);
    m_engine->setObjectName(QStringLiteral("useEngine"));
    m_engine->setCheckable(true);
    connect(m_engine, &QAction::toggled, this, &MainMenus::useEngine);
    edit->addAction(m_engine);
    edit->addAction(mounts->mountAction());
    edit->addAction(mounts->terminalAction());
    tb->addSeparator();
    tb->addAction(edits->newFile());
    tb->addAction(edits->editText());
    tb->addAction(edits->remove());

    buildView(window->menuBar()->addMenu(tr("&View")));
    buildHelp(window->menuBar()->addMenu(tr("&Help")));
    tb->addAction(window->findChild<QAction *>(QStringLiteral("showDeleted")));
}

QAction *MainMenus::action(const QString &text, int icon, const QKeySequence &key)
{
    auto *a = new QAction(m_window->style()->standardIcon(static_cast<QStyle::StandardPixmap>(icon)), text, this);
    a->setShortcut(key);
    return a;
}

void MainMenus::buildFile(QMenu *file)
{
    QAction *open = action(tr("&Open Workspace…"), QStyle::SP_DialogOpenButton, QKeySequence::Open);
    open->setProperty("toolbar", true);
    connect(open, &QAction::triggered, this, [this] {
        const QString f = QFileDialog::getOpenFileName(
            m_window, tr("Open Workspace"), QString(), tr("Stratascope workspaces (*.json);;All files (*)"));
        if (!f.isEmpty())
            Q_EMIT openWorkspace(f);
    });
    file->addAction(open);
    buildStackActions(file);
    QAction *chooseLesson = action(tr("Lesso&ns…"), QStyle::SP_FileDialogInfoView);
    chooseLesson->setObjectName(QStringLiteral("lessonsAction"));
    chooseLesson->setToolTip(tr("Every built-in lesson with what it teaches; opens one with its panel"));
    connect(chooseLesson, &QAction::triggered, this, [this] {
        auto *dialog = new LessonsDialog(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
            if (const QString name = dialog->chosen(); !name.isEmpty())
                Q_EMIT startLesson(name);
        });
        dialog->open();
    });
    file->addAction(chooseLesson);
    QMenu *lessons = file->addMenu(tr("New from &Lesson"));
    lessons->setObjectName(QStringLiteral("lessonsMenu"));
    // Lessons play with their panel; their copies go to the lesson folder, never to Recent.
    lessons->addSection(tr("Guided lessons"));
    for (const QString &name : Lesson::builtInNames()) {
        const auto lesson = Lesson::load(name);
        QAction *a
            = lessons->addAction(lesson ? tr("%1 (%2 steps)").arg(lesson->title()).arg(lesson->steps().size()) : name);
        a->setObjectName(QStringLiteral("lesson:") + name);
        connect(a, &QAction::triggered, this, [this, name] { Q_EMIT startLesson(name); });
    }
    lessons->addSection(tr("Scenarios to explore"));
    for (const QString &name : Scenario::names()) {
        QAction *a = lessons->addAction(QStringLiteral("%1 — %2").arg(name, Scenario::description(name)));
        connect(a, &QAction::triggered, this, [this, name] {
            const QString parent = QFileDialog::getExistingDirectory(
                m_window, tr("Where should the %1 lesson be created? (Cancel: a fresh temporary folder)").arg(name));
            Q_EMIT newScenario(
                name, parent.isEmpty() ? QString() : QDir(parent).filePath(QStringLiteral("stratascope-") + name));
        });
    }
    m_images = action(tr("Images && &Containers"), QStyle::SP_DriveHDIcon, QKeySequence(Qt::CTRL | Qt::Key_I));
    m_images->setObjectName(QStringLiteral("imagesAction"));
    m_images->setCheckable(true);
    m_images->setToolTip(tr("Every image store of this host — Docker, containerd, Podman — and the archives "
                            "opened: images, layers, containers, read-only (again: back to the stack)"));
    m_images->setProperty("toolbar", true);
    connect(m_images, &QAction::triggered, this, &MainMenus::showImages);
    file->addAction(m_images);
    QAction *openImageAction
        = action(tr("Open &Image…"), QStyle::SP_DirOpenIcon, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openImageAction->setObjectName(QStringLiteral("openImageAction"));
    openImageAction->setToolTip(
        tr("Look at a docker save or OCI image archive read-only, its layers read in place (Extract as Stack… "
           "makes it editable); dropping one on the window does the same"));
    connect(openImageAction, &QAction::triggered, this, &MainMenus::askForImage);
    file->addAction(openImageAction);
    m_extractImage = file->addAction(tr("E&xtract as Stack…"));
    m_extractImage->setObjectName(QStringLiteral("extractImageAction"));
    m_extractImage->setToolTip(tr("Unpack the image shown into a new folder as an editable stack"));
    m_extractImage->setEnabled(false);
    connect(m_extractImage, &QAction::triggered, this, &MainMenus::extractImage);
    m_saveImage = file->addAction(tr("Save as Ima&ge…"));
    m_saveImage->setObjectName(QStringLiteral("saveImageAction"));
    m_saveImage->setToolTip(tr("Write this stack, with its changes as a new top layer, as an image archive "
                               "(docker load -i FILE)"));
    m_saveImage->setEnabled(false);
    connect(m_saveImage, &QAction::triggered, this, [this] {
        const QString f = QFileDialog::getSaveFileName(
            m_window, tr("Save as Image"), QString(), tr("Image archives (*.tar);;All files (*)"));
        if (!f.isEmpty())
            Q_EMIT saveAsImage(f);
    });
    m_recent = file->addMenu(tr("Open &Recent"));
    m_recent->setObjectName(QStringLiteral("recentMenu"));
    updateRecent();
    QAction *exportAction
        = action(tr("&Export View (PNG, SVG)…"), QStyle::SP_DialogSaveButton, QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(exportAction, &QAction::triggered, this, [this] {
        const QString f = QFileDialog::getSaveFileName(
            m_window, tr("Export view"), QStringLiteral("stratascope.svg"), tr("SVG (*.svg);;PNG (*.png)"));
        if (!f.isEmpty())
            Q_EMIT exportView(f);
    });
    file->addAction(exportAction);
    QAction *reload = action(tr("&Rescan"), QStyle::SP_BrowserReload, QKeySequence::Refresh);
    reload->setProperty("toolbar", true);
    connect(reload, &QAction::triggered, this, &MainMenus::rescan);
    file->addAction(reload);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, m_window, &QWidget::close);
}

void MainMenus::buildStackActions(QMenu *file)
{
    QAction *newStack
        = action(tr("New &Stack…"), QStyle::SP_FileDialogNewFolder, QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_N));
    newStack->setObjectName(QStringLiteral("newStackAction"));
    newStack->setToolTip(tr("Build an overlay stack of your own directories, with the kernel's options"));
    connect(newStack, &QAction::triggered, this, &MainMenus::newStack);
    file->addAction(newStack);
    m_editStack = file->addAction(tr("Edi&t Stack…"));
    m_editStack->setObjectName(QStringLiteral("editStackAction"));
    m_editStack->setEnabled(false);
    connect(m_editStack, &QAction::triggered, this, &MainMenus::editStack);
    QAction *folder = file->addAction(tr("Open &Folder as Stack…"));
    folder->setObjectName(QStringLiteral("openFolderAction"));
    folder->setToolTip(tr("A workspace folder, or any folder: its subdirectories become the lower layers"));
    connect(folder, &QAction::triggered, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(m_window, tr("Open Folder"));
        if (!d.isEmpty())
            Q_EMIT openWorkspace(d);
    });
}

void MainMenus::setEditStackEnabled(bool on)
{
    m_editStack->setEnabled(on);
}

void MainMenus::buildView(QMenu *view)
{
    auto *showDeleted = view->addAction(tr("Show &Deleted Entries (Whiteouts)"));
    showDeleted->setObjectName(QStringLiteral("showDeleted"));
    showDeleted->setCheckable(true);
    showDeleted->setChecked(true);
    connect(showDeleted, &QAction::toggled, this, &MainMenus::showDeleted);
    QMenu *speed = view->addMenu(tr("Animation and &Captions Speed"));
    auto *speeds = new QActionGroup(this);
    for (const double f : {0.0, 0.25, 0.5, 1.0, 2.0, 4.0}) {
        QAction *a = speed->addAction(f == 0.0 ? tr("Off") : QStringLiteral("%1×").arg(f));
        a->setCheckable(true);
        a->setChecked(f == 1.0);
        speeds->addAction(a);
        connect(a, &QAction::triggered, this, [this, f] { Q_EMIT animationSpeed(f); });
    }
    auto *animate = view->addAction(tr("&Animate Edits in the Layer Columns"));
    animate->setObjectName(QStringLiteral("animateInColumns"));
    animate->setCheckable(true);
    animate->setChecked(true);
    animate->setToolTip(tr("After an edit, show the layers side by side and play what the overlay did"));
    connect(animate, &QAction::toggled, this, &MainMenus::animateInColumns);
    auto *presentationMode = view->addAction(tr("&Presentation Mode"));
    presentationMode->setObjectName(QStringLiteral("presentationMode"));
    presentationMode->setCheckable(true);
    presentationMode->setShortcut(QKeySequence(Qt::Key_F11));
    connect(presentationMode, &QAction::toggled, this, &MainMenus::presentation);
    view->addSeparator();
    struct Size {
        const char *name;
        QString text;
        QList<QKeySequence> keys;
        int direction;
    };
    // Ctrl++ too: on most keyboards "+" is Shift+=, and people press either.
    const Size sizes[] = {
        {"largerText", tr("&Larger Text"), {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn}, 1},
        {"smallerText", tr("&Smaller Text"), {QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence::ZoomOut}, -1},
        {"resetText", tr("&Reset Text Size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, 0},
    };
    for (const Size &size : sizes) {
        QAction *a = view->addAction(size.text);
        a->setObjectName(QLatin1String(size.name));
        QList<QKeySequence> keys;
        for (const QKeySequence &k : size.keys) {
            if (!keys.contains(k)) // Ctrl+- is ZoomOut already here: twice would make it ambiguous
                keys << k;
        }
        a->setShortcuts(keys);
        a->setToolTip(tr("Text size for this screen, remembered (presentation mode has its own)"));
        connect(a, &QAction::triggered, this, [this, d = size.direction] { Q_EMIT textSize(d); });
    }
}

void MainMenus::buildHelp(QMenu *help)
{
    // Beside the window rather than in front of it: the legend is read while looking at the stage.
    const auto present = [](QDialog *d) {
        d->show();
        d->raise();
        d->activateWindow();
    };
    QAction *legend = help->addAction(tr("&What am I looking at?"));
    legend->setObjectName(QStringLiteral("legendAction"));
    legend->setShortcut(QKeySequence(Qt::Key_F1));
    legend->setToolTip(tr("Every glyph, colour, role and note of the window, in one page"));
    connect(legend, &QAction::triggered, this, [this, present] {
        if (!m_legend)
            m_legend = new LegendDialog(m_window);
        present(m_legend);
    });
    QAction *report = help->addAction(tr("&Report a Problem…"));
    report->setObjectName(QStringLiteral("reportProblemAction"));
    report->setToolTip(tr("The version, kernel, backends and what is open, as text to copy into a bug report"));
    connect(report, &QAction::triggered, this, &MainMenus::reportProblem);
    QAction *about = help->addAction(tr("&About Stratascope"));
    about->setObjectName(QStringLiteral("aboutAction"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this, present] {
        if (!m_about)
            m_about = new AboutDialog(m_window);
        present(m_about);
    });
}

void MainMenus::addFileViewer(QAction *view)
{
    m_edit->insertAction(m_edit->actions().value(0), view);
    m_edit->insertSeparator(m_edit->actions().value(1));
    const QList<QAction *> bar = m_toolBar->actions();
    const qsizetype at = bar.indexOf(m_edits->editText());
    m_toolBar->insertAction(bar.value(at + 1), view);
}

void MainMenus::askForImage()
{
    const QString f = QFileDialog::getOpenFileName(m_window,
        tr("Open Image"),
        QString(),
        tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst *.oci);;All files (*)"));
    if (!f.isEmpty())
        Q_EMIT openImage(f);
}

void MainMenus::setImagesChecked(bool on)
{
    m_images->setChecked(on);
}

void MainMenus::setImageSaveEnabled(bool on)
{
    m_saveImage->setEnabled(on);
}

void MainMenus::setImageExtractEnabled(bool on)
{
    m_extractImage->setEnabled(on);
}

void MainMenus::setEngineChecked(bool on)
{
    const QSignalBlocker block(m_engine);
    m_engine->setChecked(on);
}

void MainMenus::rememberRecent(const QString &file)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentWorkspaces")).toStringList();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentWorkspaces"), recent);
    settings.setValue(QStringLiteral("lastWorkspace"), file);
    updateRecent();
}

void MainMenus::updateRecent()
{
    m_recent->clear();
    QStringList recent = QSettings().value(QStringLiteral("recentWorkspaces")).toStringList();
    recent.removeIf([](const QString &f) { return LessonFolder::contains(f); }); // older versions kept them
    for (const QString &f : recent) {
        QAction *a = m_recent->addAction(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] { Q_EMIT openWorkspace(f); });
    }
    m_recent->setEnabled(!recent.isEmpty());
}

} // namespace strata
