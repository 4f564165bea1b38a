// SPDX-License-Identifier: GPL-2.0-or-later
#include "archivepanel.h"

#include "core/image/archive/archivestore.h"
#include "ui/common/sectiontitle.h"
#include "ui/images/storeformat.h"
#include "ui/images/storeviews.h"

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace strata
{

ArchivePanel::ArchivePanel(QWidget *parent) : QWidget(parent)
{
    buildUi();
}

ArchivePanel *ArchivePanel::docked(QMainWindow *window)
{
    auto *panel = new ArchivePanel;
    panel->setObjectName(QStringLiteral("archivePanel"));
    auto *dock = new QDockWidget(tr("Image archive (read-only)"), window);
    dock->setObjectName(QStringLiteral("archiveDock"));
    dock->setWidget(panel);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    // A tab beside the bottom docks (the timeline: empty while nothing can be edited), so its
    // table has the window's whole width.
    for (QDockWidget *other : window->findChildren<QDockWidget *>()) {
        if (other != dock && window->dockWidgetArea(other) == Qt::BottomDockWidgetArea) {
            window->tabifyDockWidget(other, dock);
            panel->m_partner = other;
            break;
        }
    }
    dock->hide();
    return panel;
}

void ArchivePanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);

    // The layers on the left, as high as the dock; on the right the image and what can be
    // done with it, why nothing can be edited, the problems, the selected layer's instruction.
    auto *split = new QSplitter(Qt::Horizontal);
    m_layersView = StoreViews::table(&m_layers, QStringLiteral("archiveLayers"));
    m_layersView->setTextElideMode(Qt::ElideRight);
    m_layersView->setToolTip(tr("The image's layers, top first. Double-click: that layer alone."));
    // A driver's short names and directories: an archive has neither (its members are in the tooltips).
    m_layersView->setColumnHidden(LayersModel::LinkColumn, true);
    m_layersView->setColumnHidden(LayersModel::DirColumn, true);
    m_layersView->header()->setStretchLastSection(false);
    m_layersView->header()->setSectionResizeMode(LayersModel::InstructionColumn, QHeaderView::Stretch);
    connect(
        m_layersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            showInstruction(i.isValid() ? i.row() : -1);
        });
    connect(m_layersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openLayerRow(i.row()); });
    split->addWidget(m_layersView);

    auto *side = new QWidget;
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    buildTitle(sideLayout);
    m_readOnly = StoreViews::statusLabel(
        tr("Read-only: the layers are read inside the archive, nothing is unpacked, so there is nothing to edit "
           "or mount. Extract as Stack… unpacks the image into an editable stack (Save as Image… writes it back)."),
        QStringLiteral("archiveReadOnly"));
    sideLayout->addWidget(m_readOnly);
    m_problems = StoreViews::statusLabel(QString(), QStringLiteral("archiveProblems"));
    m_problems->hide();
    sideLayout->addWidget(m_problems);
    m_instruction = StoreViews::statusLabel(QString(), QStringLiteral("archiveInstruction"));
    m_instruction->setFont(StoreFormat::fixedFont());
    m_instruction->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    sideLayout->addWidget(m_instruction, 1);
    split->addWidget(side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
}

// The image (a choice when there are several), what it is, and what can be done with it.
void ArchivePanel::buildTitle(QVBoxLayout *layout)
{
    m_title = new SectionTitle(tr("No image"));
    m_title->setObjectName(QStringLiteral("archiveTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    auto *row = new QHBoxLayout;
    m_imageChoice = new QComboBox;
    m_imageChoice->setObjectName(QStringLiteral("archiveImageChoice"));
    m_imageChoice->setToolTip(tr("The archive holds several images: the one shown"));
    m_imageChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_imageChoice->hide();
    connect(m_imageChoice, &QComboBox::activated, this, [this](int i) { showImage(m_store, i); });
    row->addWidget(m_imageChoice);
    row->addStretch(1);
    m_merged = StoreViews::iconButton(this,
        QStyle::SP_FileDialogListView,
        tr("Merged View"),
        tr("The image's merged view on the stage (double-click a layer: that layer alone)"),
        QStringLiteral("archiveMerged"));
    connect(m_merged, &QPushButton::clicked, this, &ArchivePanel::openMerged);
    row->addWidget(m_merged);
    m_extract = StoreViews::iconButton(this,
        QStyle::SP_DialogSaveButton,
        tr("Extract as Stack…"),
        tr("Unpack this image into a new folder as an editable stack (the archive is not changed)"),
        QStringLiteral("extractImageButton"));
    connect(m_extract, &QPushButton::clicked, this, &ArchivePanel::extractRequested);
    row->addWidget(m_extract);
    layout->addLayout(row);
}

void ArchivePanel::showImage(std::shared_ptr<const ArchiveStore> store, qsizetype image)
{
    if (!store || image < 0 || image >= store->imageCount())
        return;
    const bool newStore = store != m_store;
    m_store = std::move(store);
    m_image = image;
    if (newStore) {
        m_imageChoice->clear();
        for (qsizetype i = 0; i < m_store->imageCount(); ++i) {
            const ArchiveImage &a = m_store->archiveImage(i);
            m_imageChoice->addItem(
                a.platform.isEmpty() ? a.displayName() : QStringLiteral("%1 (%2)").arg(a.displayName(), a.platform));
        }
        m_imageChoice->setVisible(m_store->imageCount() > 1);
    }
    m_imageChoice->setCurrentIndex(int(image));
    const ArchiveImage &a = m_store->archiveImage(image);
    m_title->setText(tr("%1 — %2 in %3, %4, %n layer(s), %5", nullptr, int(a.layers.size()))
                         .arg(a.displayName(),
                             ArchiveStore::formatName(m_store->format()),
                             QFileInfo(m_store->root()).fileName(),
                             a.platform.isEmpty() ? tr("platform unknown") : a.platform,
                             StoreFormat::size(a.size)));
    m_title->setToolTip(QDir::toNativeSeparators(m_store->root()));
    m_layers.setImage(m_store, image);
    // Sharing is a question only among several images.
    m_layersView->setColumnHidden(LayersModel::SharedColumn, m_store->imageCount() < 2);
    StoreViews::fitColumns(m_layersView, 520);
    showProblems();
    showDock();
    selectLayerRow(0);
    openMerged();
}

// Shown and raised, as high as its rows need (a third of the window at most: the stage matters more).
void ArchivePanel::showDock()
{
    auto *dock = qobject_cast<QDockWidget *>(parentWidget());
    auto *window = dock ? qobject_cast<QMainWindow *>(dock->parentWidget()) : nullptr;
    if (!window)
        return;
    if (dock->isHidden()) {
        m_partnerHeight = m_partner ? m_partner->height() : -1;
    }
    dock->show();
    dock->raise();
    // Every row (six at least: the texts beside them need it), the header, the dock's title
    // and tab bars.
    const int want = (std::max(m_layers.rowCount(), 6) + 1) * m_layersView->sizeHintForRow(0)
        + m_layersView->header()->sizeHint().height() + 60;
    window->resizeDocks({dock}, {std::min(want, window->height() / 3)}, Qt::Vertical);
}

void ArchivePanel::hideDock()
{
    auto *dock = qobject_cast<QDockWidget *>(parentWidget());
    auto *window = dock ? qobject_cast<QMainWindow *>(dock->parentWidget()) : nullptr;
    if (!window || dock->isHidden())
        return;
    dock->hide();
    if (m_partner && m_partnerHeight > 0) // the dock it was a tab of gets back its height
        window->resizeDocks({m_partner}, {m_partnerHeight}, Qt::Vertical);
}

void ArchivePanel::showProblems()
{
    QStringList lines;
    for (const StoreProblem &p : m_store->problems())
        lines << (p.path.isEmpty() ? p.message : QStringLiteral("%1: %2").arg(p.path, p.message));
    m_problems->setVisible(!lines.isEmpty());
    m_problems->setText(tr("⚠ %n problem(s) while reading (point here for the list); everything else is shown.",
        nullptr,
        int(lines.size())));
    m_problems->setToolTip(lines.join(QLatin1Char('\n')));
}

void ArchivePanel::selectLayerRow(int row)
{
    const QModelIndex idx = m_layers.index(row, 0);
    if (idx.isValid())
        m_layersView->setCurrentIndex(idx);
    showInstruction(idx.isValid() ? row : -1);
}

void ArchivePanel::showInstruction(int row)
{
    const int k = m_layers.layerIndex(row);
    if (k < 0) {
        m_instruction->clear();
        return;
    }
    const StoreLayer &l = m_store->imageLayerAt(m_image, k);
    const QString raw = l.createdByRaw.isEmpty() ? m_layers.index(row, LayersModel::InstructionColumn).data().toString()
                                                 : l.createdByRaw;
    m_instruction->setText(tr("Layer %1: %2").arg(l.index).arg(raw));
}

QString ArchivePanel::instructionText() const
{
    return m_instruction->text();
}

QString ArchivePanel::archive() const
{
    return m_store ? m_store->root() : QString();
}

QString ArchivePanel::readOnlyText() const
{
    return m_readOnly->text();
}

QString ArchivePanel::titleText() const
{
    return m_title->text();
}

bool ArchivePanel::openMerged()
{
    return m_store
        && openStack(m_store->imageMergeLayers(m_image),
            tr("%1 image %2").arg(m_store->kindName(), m_store->imageAt(m_image).displayName()));
}

bool ArchivePanel::openLayerRow(int row)
{
    const int k = m_layers.layerIndex(row);
    return k >= 0
        && openStack(m_store->layerMergeLayers(m_image, k),
            tr("Layer %1 of %2 alone").arg(k).arg(m_store->imageAt(m_image).displayName()));
}

bool ArchivePanel::openStack(const Result<MergeLayers> &layers, const QString &title)
{
    if (!layers) {
        m_problems->setText(tr("⚠ Cannot show %1: %2").arg(title, layers.error().message));
        m_problems->show();
        return false;
    }
    Q_EMIT openLayers(*layers, title, m_store->mergeOptions());
    return true;
}

} // namespace strata
