// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storetablemodel.h"

#include <QVector>

namespace strata
{

/// The images of a store, newest first, one row each (intermediate build steps only when
/// asked): tags, short ID, created, size, and how many layers, shared ones counted.
class ImagesModel final : public StoreTableModel
{
    Q_OBJECT
public:
    enum Column { TagsColumn, IdColumn, CreatedColumn, SizeColumn, LayersColumn };

    explicit ImagesModel(QObject *parent = nullptr);

    /// Lists intermediate images too, like `docker images -a`.
    void setShowIntermediate(bool show);
    [[nodiscard]] bool showsIntermediate() const { return m_showIntermediate; }

    /// The store's index of the image in `row`, -1 for none.
    [[nodiscard]] qsizetype imageIndex(int row) const;
    /// The row of the store's image `index`, -1 when it is not listed.
    [[nodiscard]] int rowOf(qsizetype index) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    void storeChanged() override;

private:
    void listRows();

    bool m_showIntermediate = false;
    QVector<qsizetype> m_rows; // store image index per row
};

} // namespace strata
