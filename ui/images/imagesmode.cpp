// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagesmode.h"

#include "core/image/archive/archivestore.h"
#include "core/stack/workspace.h"
#include "ui/common/statusline.h"
#include "ui/images/fileviewer.h"
#include "ui/images/imagespanel.h"
#include "ui/mainmenus.h"
#include "ui/stage/editactions.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/presentationmode.h"
#include "ui/stage/stage.h"

#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QStackedWidget>
#include <QTimer>

namespace strata
{

ImagesMode::ImagesMode(const Parts &parts, Window window, QWidget *windowWidget)
    : m_parts(parts), m_window(std::move(window)), m_windowWidget(windowWidget), m_panel(new ImagesPanel)
{
    m_panel->setObjectName(QStringLiteral("imagesPanel"));
    // The stack view decides how small the window may be (a stacked widget takes the largest
    // minimum of its pages): the panel's tables scroll.
    m_panel->setMinimumSize(320, 240);
    m_parts.pages->addWidget(m_panel);
    MainMenus *menus = m_parts.menus;
    connect(menus, &MainMenus::openImage, this, [this](const QString &f) { openImage(f); });
    connect(menus, &MainMenus::saveAsImage, this, [this](const QString &f) { saveAsImage(f); });
    connect(menus, &MainMenus::extractImage, this, &ImagesMode::extractImage);
    connect(menus, &MainMenus::showImages, this, [this](bool on) { on ? (void)show() : showStackView(); });
    connect(m_panel, &ImagesPanel::backRequested, this, &ImagesMode::showStackView);
    connect(m_panel, &ImagesPanel::openArchiveRequested, menus, &MainMenus::askForImage);
    connect(
        m_panel, &ImagesPanel::extractRequested, this, [this](const std::shared_ptr<const ArchiveStore> &, qsizetype) {
            extractImage();
        });
    connect(m_parts.status, &StatusLine::cancelRequested, &m_images, &ImageOpener::cancel);
    connectOpener();
}

void ImagesMode::connectOpener()
{
    connect(&m_images, &ImageOpener::opened, this, [this](const std::shared_ptr<const ArchiveStore> &s, qsizetype i) {
        m_parts.status->setScanning(false);
        m_archive = s;
        m_archiveImage = i;
        m_panel->addArchive(s, i);
        m_parts.menus->setImageExtractEnabled(true);
        m_panel->openImage(m_panel->imagesModel()->rowOf(i)); // its merged view, on the stage
        Q_EMIT imageShown(s->root());
    });
    connect(&m_images, &ImageOpener::progress, this, [this](quint64 entries) {
        m_window.say(tr("Working on the image… %L1 entries").arg(entries));
    });
    connect(&m_images, &ImageOpener::failed, this, [this](const QString &message) {
        m_parts.status->setScanning(false);
        m_window.showError(tr("Image"), message);
        Q_EMIT imageFailed(message);
    });
    connect(&m_images, &ImageOpener::extracted, this, [this](const QString &workspace, const QString &summary) {
        m_parts.status->setScanning(false);
        if (m_window.openWorkspace(workspace)) {
            m_parts.menus->setImageExtractEnabled(false); // the stack is on the stage now, editable
            m_window.say(summary);
            Q_EMIT imageOpened(workspace);
        }
    });
    connect(&m_images, &ImageOpener::committed, this, [this](const QString &out, const QString &summary) {
        m_parts.status->setScanning(false);
        m_window.say(summary);
        Q_EMIT imageSaved(out);
    });
}

bool ImagesMode::showLayers(const MergeLayers &layers, const QString &title, const MergeOptions &options)
{
    if (layers.isEmpty() || m_window.refuseWhileBusy(tr("opening read-only layers")))
        return false;
    showStackView();
    // Many layers scroll sideways: the merged column, what they make, in sight once laid out.
    Stage *stage = m_parts.stage;
    connect(
        stage->columns(),
        &LayerColumns::ready,
        this,
        [stage] {
            QTimer::singleShot(0, stage, [stage] {
                if (stage->columns()->scrollsSideways())
                    stage->showColumn(stage->columns()->columnCount() - 1);
            });
        },
        Qt::SingleShotConnection);
    m_window.showReadOnly(layers, title, options);
    return true;
}

FileViewer *ImagesMode::viewFile()
{
    const EditActions::Selection s = m_parts.stage->selection();
    if (s.path.isEmpty() || s.isDir) {
        m_window.say(tr("Select a file to view."));
        return nullptr;
    }
    auto *viewer = new FileViewer(m_windowWidget);
    viewer->showFile(s.path, s.diskPath);
    viewer->show();
    return viewer;
}

ImagesPanel *ImagesMode::show()
{
    if (!isShown()) {
        QDockWidget *dock = m_parts.timelineDock;
        m_timelineWasShown = dock->isVisible() || !m_windowWidget->isVisible();
        dock->hide();
        m_parts.pages->setCurrentWidget(m_panel);
        m_parts.menus->setImagesChecked(true);
        m_window.modeChanged();
    }
    if (!m_panel->hasDiscovered() && !m_panel->isDiscovering())
        m_panel->discover();
    m_panel->setFocus();
    return m_panel;
}

void ImagesMode::showStackView()
{
    if (!isShown())
        return;
    m_parts.pages->setCurrentWidget(m_parts.stackPage);
    if (m_timelineWasShown && !m_parts.presentation->isActive())
        m_parts.timelineDock->show();
    m_parts.menus->setImagesChecked(false);
    m_window.modeChanged();
}

bool ImagesMode::isShown() const
{
    return m_parts.pages->currentWidget() == m_panel;
}

bool ImagesMode::openImage(const QString &archive, const QString &ref)
{
    if (m_images.isRunning() || m_window.refuseWhileBusy(tr("opening an image")))
        return false;
    m_parts.status->setScanning(true);
    m_window.say(tr("Reading %1…").arg(QDir::toNativeSeparators(archive)));
    m_images.read(archive, ref);
    return true;
}

bool ImagesMode::extractImage()
{
    // The image chosen in the panel, else the archive opened last.
    if (const auto [archive, image] = m_panel->archiveImage(); archive) {
        m_archive = archive;
        m_archiveImage = image;
    }
    if (!m_archive || m_images.isRunning() || m_window.refuseWhileBusy(tr("extracting an image")))
        return false;
    m_parts.status->setScanning(true);
    m_window.say(tr("Unpacking %1 into a new stack…").arg(QDir::toNativeSeparators(m_archive->root())));
    m_images.extract(m_archive, m_archiveImage);
    return true;
}

bool ImagesMode::saveAsImage(const QString &out, const QString &tag)
{
    const auto [workspace, overlay] = m_window.stack();
    if (!workspace || !cameFromImage(*workspace)) {
        m_window.showError(
            tr("Save as Image"), tr("Only a stack made from an image (File → Open Image…) can be saved as one."));
        return false;
    }
    if (m_images.isRunning() || m_window.refuseWhileBusy(tr("saving an image")))
        return false;
    const QString dir = QFileInfo(workspace->filePath()).path();
    m_parts.status->setScanning(true);
    m_window.say(tr("Writing %1…").arg(QDir::toNativeSeparators(out)));
    m_images.commit(dir, workspace->overlays().at(std::max(0, overlay)).name, out, tag);
    return true;
}

bool ImagesMode::cameFromImage(const Workspace &workspace)
{
    return ImageOpener::cameFromImage(QFileInfo(workspace.filePath()).path());
}

} // namespace strata
