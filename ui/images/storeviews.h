// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStyle>

class QAbstractItemModel;
class QLabel;
class QPushButton;
class QTreeView;
class QWidget;

namespace strata
{

/// The widgets the Images & Containers panel are made of, made alike.
class StoreViews final
{
public:
    /// A read-only table of whole rows, one selected at a time, long texts elided in the middle.
    [[nodiscard]] static QTreeView *table(QAbstractItemModel *model, const QString &name);
    /// Every column but the last as wide as its contents, at most `maxWidth`.
    static void fitColumns(QTreeView *view, int maxWidth = 420);
    /// A titled table in a box without margins but a small gap above.
    [[nodiscard]] static QWidget *titledBox(QWidget *title, QWidget *view, int viewStretch = 0);
    /// A button with one of the style's icons, a tooltip and (for tests and scripts) a name.
    [[nodiscard]] static QPushButton *iconButton(const QWidget *owner,
        QStyle::StandardPixmap icon,
        const QString &text,
        const QString &tip = {},
        const QString &name = {});
    /// A line that says how reading or searching went (selectable, so it can be copied).
    [[nodiscard]] static QLabel *statusLabel(const QString &text, const QString &name);
};

} // namespace strata
