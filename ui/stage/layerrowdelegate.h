// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QStyledItemDelegate>

#include <functional>

namespace strata
{

/// Draws a layer column's rows as the merged view treats them: an entry the merged view
/// hides (under a whiteout or an opaque directory above, its children included) greyed and
/// struck through, with the reason in words in the notes x; a ghost row (MergedTreeModel::setGhost) as a dashed empty
/// slot that says "not in this layer". Struck text and words: colour is never the only sign.
class LayerRowDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    /// `hiddenBy(path)`: why the merged view hides this column's entry at `path`; empty when
    /// it does not.
    explicit LayerRowDelegate(std::function<QString(const QString &)> hiddenBy, QObject *parent = nullptr);

    /// The style a row is drawn with (what initStyleOption makes of it), for tests.
    void styleFor(QStyleOptionViewItem *option, const QModelIndex &index) const { initStyleOption(option, index); }
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    /// A ghost asks for no width: it is not a name of this layer, the names get the room.
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    std::function<QString(const QString &)> m_hiddenBy;
};

} // namespace strata
