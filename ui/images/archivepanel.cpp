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
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

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
    dock->hide();
    return panel;
}

void ArchivePanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *top = new QHBoxLayout;
    m_imageChoice = new QComboBox;
    m_imageChoice->setObjectName(QStringLiteral("archiveImageChoice"));
    m_imageChoice->setToolTip(tr("The archive holds several images: the one shown"));
    m_imageChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_imageChoice->hide();
    connect(m_imageChoice, &QComboBox::activated, this, [this](int i) { showImage(m_store, i); });
    top->addWidget(m_imageChoice);
    m_title = new SectionTitle(tr("No image"));
    m_title->setObjectName(QStringLiteral("archiveTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_title, 1);
    m_merged = StoreViews::iconButton(this,
        QStyle::SP_FileDialogListView,
        tr("Merged View"),
        tr("The image's merged view on the stage (double-click a layer: that layer alone)"),
        QStringLiteral("archiveMerged"));
    connect(m_merged, &QPushButton::clicked, this, &ArchivePanel::openMerged);
    top->addWidget(m_merged);
    m_extract = StoreViews::iconButton(this,
        QStyle::SP_DialogSaveButton,
        tr("Extract as Stack…"),
        tr("Unpack this image into a new folder as an editable stack (the archive is not changed)"),
        QStringLiteral("extractImageButton"));
    connect(m_extract, &QPushButton::clicked, this, &ArchivePanel::extractRequested);
    top->addWidget(m_extract);
    layout->addLayout(top);

    m_readOnly = StoreViews::statusLabel(
        tr("🔒 Read-only: these layers are read from inside the archive, nothing is unpacked, so there is nothing "
           "to edit or mount. Extract as Stack… unpacks the image into a folder as an editable stack; Save as "
           "Image… then writes it back with your changes as a new layer."),
        QStringLiteral("archiveReadOnly"));
    layout->addWidget(m_readOnly);
    m_problems = StoreViews::statusLabel(QString(), QStringLiteral("archiveProblems"));
    m_problems->hide();
    layout->addWidget(m_problems);

    m_layersView = StoreViews::table(&m_layers, QStringLiteral("archiveLayers"));
    m_layersView->setTextElideMode(Qt::ElideRight);
    // A driver's short names and directories: an archive has neither (its members are in the tooltips).
    m_layersView->setColumnHidden(LayersModel::LinkColumn, true);
    m_layersView->setColumnHidden(LayersModel::DirColumn, true);
    connect(
        m_layersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &i) {
            showInstruction(i.isValid() ? i.row() : -1);
        });
    connect(m_layersView, &QAbstractItemView::activated, this, [this](const QModelIndex &i) { openLayerRow(i.row()); });
    layout->addWidget(StoreViews::titledBox(
                          new SectionTitle(tr("Layers, top first (double-click: that layer alone)")), m_layersView, 1),
        1);
    m_instruction = StoreViews::statusLabel(QString(), QStringLiteral("archiveInstruction"));
    m_instruction->setFont(StoreFormat::fixedFont());
    layout->addWidget(m_instruction);
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
    if (auto *dock = qobject_cast<QDockWidget *>(parentWidget())) {
        dock->show();
        dock->raise();
    }
    selectLayerRow(0);
    openMerged();
}

void ArchivePanel::hideDock()
{
    if (auto *dock = qobject_cast<QDockWidget *>(parentWidget()))
        dock->hide();
}

void ArchivePanel::showProblems()
{
    QStringList lines;
    for (const StoreProblem &p : m_store->problems())
        lines << (p.path.isEmpty() ? p.message : QStringLiteral("%1: %2").arg(p.path, p.message));
    m_problems->setVisible(!lines.isEmpty());
    m_problems->setText(tr("⚠ %n problem(s) while reading; everything else is shown: %1", nullptr, int(lines.size()))
                            .arg(lines.value(0)));
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
    if (!m_store)
        return false;
    const auto layers = m_store->imageMergeLayers(m_image);
    if (!layers) {
        m_problems->setText(tr("⚠ No merged view: %1").arg(layers.error().message));
        m_problems->show();
        return false;
    }
    Q_EMIT openLayers(*layers,
        tr("%1 image %2").arg(m_store->kindName(), m_store->imageAt(m_image).displayName()),
        m_store->mergeOptions());
    return true;
}

bool ArchivePanel::openLayerRow(int row)
{
    const int k = m_layers.layerIndex(row);
    if (k < 0)
        return false;
    const auto layers = m_store->layerMergeLayers(m_image, k);
    if (!layers)
        return false;
    Q_EMIT openLayers(*layers,
        tr("Layer %1 of %2 alone").arg(k).arg(m_store->imageAt(m_image).displayName()),
        m_store->mergeOptions());
    return true;
}

} // namespace strata
