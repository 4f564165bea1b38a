// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "ui/images/imageopener.h"

#include <QObject>

#include <functional>
#include <memory>

class QDockWidget;
class QStackedWidget;
class QWidget;

namespace strata
{

class ArchiveStore;
class FileViewer;
class ImagesPanel;
class MainMenus;
class PresentationMode;
class Stage;
class StatusLine;
class Workspace;

/// The window's second mode, Images & Containers: the panel's page and the switch back to the
/// stack view, the image archives opened, extracted and saved (ImageOpener), the read-only
/// merged views the panel opens, and View File….
class ImagesMode final : public QObject
{
    Q_OBJECT
public:
    /// The window's parts the mode uses; none is owned.
    struct Parts {
        QStackedWidget *pages = nullptr; ///< the panel's page is added here
        QWidget *stackPage = nullptr; ///< the stack view's page
        QDockWidget *timelineDock = nullptr; ///< hidden while the panel fills the window
        MainMenus *menus = nullptr;
        StatusLine *status = nullptr;
        Stage *stage = nullptr;
        PresentationMode *presentation = nullptr;
    };
    /// What stays the window's.
    struct Window {
        /// True, with a word in the status bar, when an edit or a lesson step runs.
        std::function<bool(const QString &what)> refuseWhileBusy;
        std::function<void(const QString &text)> say;
        std::function<void(const QString &title, const QString &message)> showError;
        std::function<bool(const QString &path)> openWorkspace;
        /// The workspace shown (null: none) and its overlay shown.
        std::function<std::pair<const Workspace *, int>()> stack;
        /// Shows these layers (top first) read-only, nothing mounted; a rescan follows.
        std::function<void(const MergeLayers &, const QString &title, const MergeOptions &)> showReadOnly;
        /// The mode changed: what may be edited changes with it.
        std::function<void()> modeChanged;
    };
    /// `windowWidget` is the window the mode is part of (its file viewers' parent).
    ImagesMode(const Parts &parts, Window window, QWidget *windowWidget);

    /// The stack view with these layers read-only (MainWindow::showLayers()); false when busy.
    bool showLayers(const MergeLayers &layers, const QString &title, const MergeOptions &options);
    /// The panel fills the window (the timeline goes); it looks for the host's stores the first time.
    ImagesPanel *show();
    /// Back to the stack view.
    void showStackView();
    [[nodiscard]] bool isShown() const;
    [[nodiscard]] ImagesPanel *panel() const { return m_panel; }
    /// The selected file of the merged view, read-only (View File…, F3): null when none is selected.
    FileViewer *viewFile();
    bool openImage(const QString &archive, const QString &ref = {});
    bool extractImage();
    bool saveAsImage(const QString &out, const QString &tag = {});
    [[nodiscard]] const std::shared_ptr<const ArchiveStore> &shownArchive() const { return m_archive; }
    /// The stack shown came from an image (Save as Image… applies).
    [[nodiscard]] static bool cameFromImage(const Workspace &workspace);

Q_SIGNALS:
    void imageOpened(const QString &workspaceFile);
    void imageShown(const QString &archive);
    void imageSaved(const QString &out);
    void imageFailed(const QString &message);

private:
    void connectOpener();

    Parts m_parts;
    Window m_window;
    QWidget *m_windowWidget;
    ImageOpener m_images;
    ImagesPanel *m_panel = nullptr;
    bool m_timelineWasShown = true; // before the images mode hid it
    std::shared_ptr<const ArchiveStore> m_archive; // what Extract as Stack… unpacks
    qsizetype m_archiveImage = -1;
};

} // namespace strata
