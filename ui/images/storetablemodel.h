// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/imagestore.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <QStyle>

#include <memory>

namespace strata
{

/// The common part of the store's table models: read-only, a fixed set of columns with their
/// headers, and the store whose records the rows show (kept alive while shown). Rows read the
/// store's records when asked; nothing is copied.
class StoreTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] const std::shared_ptr<const ImageStore> &store() const { return m_store; }
    /// Shows the records of `store` (none when null).
    void setStore(std::shared_ptr<const ImageStore> store);

protected:
    StoreTableModel(const QStringList &headers, QObject *parent);
    void setHeader(int column, const QString &text);
    /// Between beginResetModel and endResetModel.
    void replaceStore(std::shared_ptr<const ImageStore> store) { m_store = std::move(store); }
    /// After setStore() replaced the store, before the views are told: rows derived from it.
    virtual void storeChanged() { }
    /// The display text of a column in a fixed font, with the same text as its tooltip unless
    /// the subclass gives one: what every column's cell answers for the common roles.
    [[nodiscard]] static QVariant cell(int role, const QString &text, const QString &toolTip = {}, bool fixed = false);
    /// The first cell of a record that may not have been read whole (an image, a container):
    /// `icon` and `toolTip`, or a warning icon and what went wrong when it has an error or problems.
    [[nodiscard]] static QVariant recordCell(int role,
        const QString &text,
        QStyle::StandardPixmap icon,
        const QString &toolTip,
        const QString &error,
        const QStringList &problems);

private:
    QStringList m_headers;
    std::shared_ptr<const ImageStore> m_store;
};

} // namespace strata
