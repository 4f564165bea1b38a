// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/analysis/imageanalysis.h"

#include <QAbstractTableModel>

namespace strata
{

/// dive's inefficient files: every path seen in two or more layers, how many, and the bytes
/// of all its copies together (what dive calls its wasted space).
class InefficientFilesModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { PathColumn, CountColumn, WastedColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, ///< QString: the whole path
        SortRole, ///< the path, or the number
    };

    explicit InefficientFilesModel(QObject *parent = nullptr);

    void setReferences(const QVector<FileReference> &refs);
    [[nodiscard]] const QVector<FileReference> &references() const { return m_refs; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVector<FileReference> m_refs;
};

} // namespace strata
