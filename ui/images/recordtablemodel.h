// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storetablemodel.h"

#include <QVector>

namespace strata
{

/// A store table whose rows are a list of records it keeps (search hits, a stack's layers, a
/// container's changes): one row per record, each cell asked of cellData().
template<typename Record>
class RecordTableModel : public StoreTableModel
{
public:
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_records.size());
    }
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!index.isValid() || index.row() >= m_records.size())
            return {};
        return cellData(m_records.at(index.row()), index.column(), role);
    }
    [[nodiscard]] const QVector<Record> &records() const { return m_records; }

protected:
    using StoreTableModel::StoreTableModel;
    [[nodiscard]] virtual QVariant cellData(const Record &record, int column, int role) const = 0;

    QVector<Record> m_records;
};

} // namespace strata
