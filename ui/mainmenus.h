// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QKeySequence>
#include <QObject>
#include <QString>

class QAction;
class QMainWindow;
class QMenu;
class QToolBar;

namespace strata
{

class AboutDialog;
class EditActions;
class LegendDialog;
class MountBar;

/// The window's menus (File, Edit, View, Help) and its main tool bar. Every choice becomes a signal
/// the window acts on; dialogs that only ask for a file or folder are asked here. Remembers
/// the recently opened workspaces.
class MainMenus final : public QObject
{
    Q_OBJECT
public:
    MainMenus(QMainWindow *window, EditActions *edits, MountBar *mounts);

    void rememberRecent(const QString &file);
    /// The Edit menu's "userspace engine" check follows the backend.
    void setEngineChecked(bool on);
    /// Save as Image… applies: the stack came from an image.
    void setImageSaveEnabled(bool on);
    /// Extract as Stack… applies: an image archive is shown read-only.
    void setImageExtractEnabled(bool on);
    /// The Images & Containers action follows the window's mode.
    void setImagesChecked(bool on);
    /// View File… in the Edit menu and the tool bar, beside Edit Text….
    void addFileViewer(QAction *view);
    /// Open Image…: asks for an archive, then openImage().
    void askForImage();
    /// Edit Stack… applies: a workspace is open.
    void setEditStackEnabled(bool on);

Q_SIGNALS:
    void openWorkspace(const QString &file);
    /// File → New Stack… (the stack builder, empty) and Edit Stack… (the workspace shown).
    void newStack();
    void editStack();
    void newScenario(const QString &name, const QString &dir);
    /// A built-in lesson chosen, to play with its panel.
    void startLesson(const QString &name);
    /// The Images & Containers mode (true) or the stack view (false).
    void showImages(bool on);
    void openImage(const QString &archive);
    void extractImage();
    void saveAsImage(const QString &out);
    void exportView(const QString &file);
    void rescan();
    void useEngine(bool on);
    void showDeleted(bool on);
    void animationSpeed(double factor);
    void animateInColumns(bool on);
    void presentation(bool on);
    /// Ctrl+= / Ctrl+- / Ctrl+0: +1 larger, -1 smaller, 0 back to the base size.
    void textSize(int direction);
    /// Help → Report a Problem…: the window knows what it has open.
    void reportProblem();

private:
    void buildFile(QMenu *file);
    void buildStackActions(QMenu *file);
    void buildView(QMenu *view);
    void buildHelp(QMenu *help);
    void updateRecent();
    QAction *action(const QString &text, int icon, const QKeySequence &key = {});

    QMainWindow *m_window;
    QMenu *m_recent = nullptr;
    QMenu *m_edit = nullptr;
    QToolBar *m_toolBar = nullptr;
    EditActions *m_edits = nullptr;
    QAction *m_engine = nullptr;
    QAction *m_images = nullptr;
    QAction *m_saveImage = nullptr;
    QAction *m_extractImage = nullptr;
    QAction *m_editStack = nullptr;
    LegendDialog *m_legend = nullptr; // made when first asked for
    AboutDialog *m_about = nullptr;
};

} // namespace strata
