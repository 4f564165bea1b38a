// SPDX-License-Identifier: GPL-2.0-or-later
#include "timeline.h"

#include "ui/common/eventstyle.h"

#include <algorithm>

namespace strata
{

Timeline::Timeline(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("timeline"));
    setHeaderLabels({tr("Edit / event"), tr("Path"), tr("Layers"), tr("What happened")});
    setWordWrap(true);
    setExpandsOnDoubleClick(false); // a double-click plays the edit again
    // The event (or every event of the edit) plays again, for the class that missed it.
    connect(this, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        QList<OverlayEvent> events;
        if (item->data(0, Qt::UserRole).canConvert<OverlayEvent>())
            events << item->data(0, Qt::UserRole).value<OverlayEvent>();
        for (int i = 0; i < item->childCount(); ++i)
            events << item->child(i)->data(0, Qt::UserRole).value<OverlayEvent>();
        if (!events.isEmpty())
            Q_EMIT replayRequested(events);
    });
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !item->text(1).isEmpty())
            Q_EMIT pathChosen(item->text(1));
    });
}

void Timeline::addEdit(const QString &command, int error, const QString &errorText, const QList<OverlayEvent> &events)
{
    // Edits seen by the watcher were made by another program: no command of ours to show.
    const bool outside = !events.isEmpty() && events.first().outside;
    auto *op = new QTreeWidgetItem(
        {outside ? tr("⌨ %1 (a terminal or another program)").arg(command) : QStringLiteral("$ ") + command,
            QString(),
            QString(),
            error ? errorText : QString()});
    op->setIcon(0, style()->standardIcon(error ? QStyle::SP_MessageBoxWarning : QStyle::SP_CommandLink));
    for (const OverlayEvent &e : events) {
        const QString layers
            = e.fromLayer.isEmpty() ? e.toLayer : QStringLiteral("%1 → %2").arg(e.fromLayer, e.toLayer);
        auto *child = new QTreeWidgetItem(op, {OverlayEvent::kindName(e.kind), e.path, layers, e.explanation});
        child->setToolTip(3, e.explanation);
        child->setToolTip(0, tr("Double-click to play it again"));
        child->setData(0, Qt::UserRole, QVariant::fromValue(e));
        child->setIcon(0, style()->standardIcon(EventStyle::of(e.kind).icon));
    }
    addTopLevelItem(op);
    op->setFirstColumnSpanned(!error);
    op->setExpanded(true);
    scrollToItem(op->childCount() ? op->child(op->childCount() - 1) : op);
    setColumnWidth(0, std::max(columnWidth(0), 150));
    resizeColumnToContents(1);
    resizeColumnToContents(2);
}

void Timeline::truncate(int count)
{
    while (topLevelItemCount() > std::max(count, 0))
        delete takeTopLevelItem(topLevelItemCount() - 1);
}

} // namespace strata
