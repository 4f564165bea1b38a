// SPDX-License-Identifier: GPL-2.0-or-later
#include "stacksidebar.h"

#include "core/stack/workspace.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/sectiontitle.h"
#include "ui/stage/stackdiagram.h"

#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QSignalBlocker>
#include <QStyle>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace strata
{

StackSidebar::StackSidebar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(new SectionTitle(tr("Overlays (mount order)")));
    m_overlays = new QListWidget;
    m_overlays->setObjectName(QStringLiteral("overlayList"));
    // Long names and notes wrap in the narrow sidebar: read whole, never scrolled sideways.
    m_overlays->setWordWrap(true);
    m_overlays->setTextElideMode(Qt::ElideNone);
    m_overlays->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_overlays->setResizeMode(QListView::Adjust);
    layout->addWidget(m_overlays, 1);
    layout->addWidget(new SectionTitle(tr("Layer stack (top first)")));
    m_layers = new QTreeWidget;
    m_layers->setObjectName(QStringLiteral("layerList"));
    m_layers->setHeaderLabels({tr("#"), tr("Role"), tr("Layer")});
    m_layers->setRootIsDecorated(false);
    // The stack as a figure (what the selected path does in each layer) or as a list.
    m_diagram = new StackDiagram;
    m_diagram->setObjectName(QStringLiteral("stackDiagram"));
    auto *tabs = new QTabWidget;
    tabs->setObjectName(QStringLiteral("stackTabs"));
    tabs->addTab(m_diagram, tr("Diagram"));
    tabs->addTab(m_layers, tr("List"));
    layout->addWidget(tabs, 3);
    connect(m_overlays, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            Q_EMIT overlayChosen(row);
    });
}

void StackSidebar::setWorkspace(const Workspace &workspace)
{
    const QSignalBlocker block(m_overlays);
    m_overlays->clear();
    for (int i = 0; i < workspace.overlays().size(); ++i) {
        QString label = workspace.overlays().at(i).name;
        for (const QString &inner : workspace.stackedOn(i))
            label += tr("\n  (stacked on %1)").arg(inner);
        auto *item = new QListWidgetItem(label, m_overlays);
        item->setData(Qt::UserRole, label);
    }
}

void StackSidebar::clearOverlays()
{
    const QSignalBlocker block(m_overlays);
    m_overlays->clearSelection();
    m_overlays->setCurrentRow(-1);
}

void StackSidebar::setCurrentOverlay(int index)
{
    // Seen now: the note about a change that came through a lower overlay has done its job.
    if (QListWidgetItem *item = m_overlays->item(index)) {
        item->setText(item->data(Qt::UserRole).toString());
        item->setIcon({});
        item->setToolTip({});
    }
    if (m_overlays->currentRow() != index) {
        const QSignalBlocker block(m_overlays);
        m_overlays->setCurrentRow(index);
    }
}

void StackSidebar::showLayers(const MergeLayers &layers, const std::function<QString(const MergeLayer &)> &describe)
{
    m_layers->clear();
    for (int i = 0; i < layers.size(); ++i) {
        const MergeLayer &layer = layers.at(i);
        // Colour chip plus role icon plus text: the colour is never the only signal.
        auto *item = new QTreeWidgetItem({QString::number(i), roleName(layer.role), describe(layer)});
        item->setToolTip(2, layer.path);
        QPixmap chip(12, 12);
        chip.fill(MergedTreeModel::layerColor(i, static_cast<int>(layers.size()), layer.role == LayerRole::Upper));
        item->setIcon(2, QIcon(chip));
        item->setIcon(1,
            style()->standardIcon(
                layer.role == LayerRole::Upper ? QStyle::SP_DialogSaveButton : QStyle::SP_DirClosedIcon));
        m_layers->addTopLevelItem(item);
    }
    m_layers->resizeColumnToContents(0);
    m_layers->resizeColumnToContents(1);
}

void StackSidebar::flagEditBelow(int overlay, const QString &from, const QString &overlayName, const QStringList &paths)
{
    QListWidgetItem *item = m_overlays->item(overlay);
    if (!item)
        return;
    item->setText(tr("%1\n  ⬆ sees the edit in %2: %3")
                      .arg(item->data(Qt::UserRole).toString(), from, paths.join(QStringLiteral(", "))));
    item->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
    item->setToolTip(tr("%1 has %2 among its lower layers, so this edit shows through in its merged view "
                        "(unless its own upper layer hides the path). Select it to see.")
                         .arg(overlayName, from));
}

void StackSidebar::setChoosable(bool on)
{
    m_overlays->setEnabled(on);
}

} // namespace strata
