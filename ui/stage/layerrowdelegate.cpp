// SPDX-License-Identifier: GPL-2.0-or-later
#include "layerrowdelegate.h"

#include "ui/common/ink.h"
#include "ui/common/mergedtreemodel.h"

#include <QPainter>

namespace strata
{

LayerRowDelegate::LayerRowDelegate(std::function<QString(const QString &)> hiddenBy, QObject *parent)
    : QStyledItemDelegate(parent), m_hiddenBy(std::move(hiddenBy))
{
}

void LayerRowDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(MergedTreeModel::IsGhostRole).toBool() || index.data(MergedTreeModel::IsWhiteoutRole).toBool())
        return; // the model styles those itself
    const QString why = m_hiddenBy ? m_hiddenBy(index.data(MergedTreeModel::MergedPathRole).toString()) : QString();
    if (why.isEmpty())
        return;
    option->font.setStrikeOut(index.column() == MergedTreeModel::NameColumn);
    option->palette.setColor(QPalette::Text, Ink::dimmed(option->palette));
    if (index.column() == MergedTreeModel::NotesColumn)
        option->text = option->text.isEmpty() ? why : why + QStringLiteral(" · ") + option->text;
}

void LayerRowDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    if (!index.data(MergedTreeModel::IsGhostRole).toBool())
        return;
    // The empty slot: a dashed frame around the row, open towards the next cell.
    painter->save();
    painter->setPen(QPen(Ink::dimmed(option.palette), 1, Qt::DashLine));
    painter->setBrush(Qt::NoBrush);
    const QRect r = option.rect.adjusted(1, 1, index.column() == MergedTreeModel::NameColumn ? 0 : -2, -2);
    painter->drawLine(r.topLeft(), r.topRight());
    painter->drawLine(r.bottomLeft(), r.bottomRight());
    if (index.column() == MergedTreeModel::NameColumn)
        painter->drawLine(r.topLeft(), r.bottomLeft());
    else
        painter->drawLine(r.topRight(), r.bottomRight());
    painter->restore();
}

QSize LayerRowDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(MergedTreeModel::IsGhostRole).toBool())
        s.setWidth(0);
    return s;
}

} // namespace strata
