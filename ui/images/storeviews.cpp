// SPDX-License-Identifier: GPL-2.0-or-later
#include "storeviews.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace strata
{

QTreeView *StoreViews::table(QAbstractItemModel *model, const QString &name)
{
    auto *v = new QTreeView;
    v->setObjectName(name);
    v->setModel(model);
    v->setRootIsDecorated(false);
    v->setUniformRowHeights(true);
    v->setAlternatingRowColors(true);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setTextElideMode(Qt::ElideMiddle);
    v->header()->setStretchLastSection(true);
    return v;
}

void StoreViews::fitColumns(QTreeView *view, int maxWidth)
{
    const int n = view->model()->columnCount();
    for (int c = 0; c + 1 < n; ++c) {
        view->resizeColumnToContents(c);
        if (view->columnWidth(c) > maxWidth)
            view->setColumnWidth(c, maxWidth);
    }
}

QWidget *StoreViews::titledBox(QWidget *title, QWidget *view, int viewStretch)
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(title);
    layout->addWidget(view, viewStretch);
    return box;
}

QPushButton *StoreViews::iconButton(
    const QWidget *owner, QStyle::StandardPixmap icon, const QString &text, const QString &tip, const QString &name)
{
    auto *button = new QPushButton(owner->style()->standardIcon(icon), text);
    button->setToolTip(tip);
    button->setObjectName(name);
    return button;
}

QLabel *StoreViews::statusLabel(const QString &text, const QString &name)
{
    auto *label = new QLabel(text);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace strata
