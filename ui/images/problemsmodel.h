// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeproblem.h"

#include <QAbstractListModel>

namespace strata
{

/// What could not be read in a store (and during a search of it), one line each.
class ProblemsModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    explicit ProblemsModel(QObject *parent = nullptr);

    void setProblems(const StoreProblems &problems);
    [[nodiscard]] const StoreProblems &problems() const { return m_problems; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    StoreProblems m_problems;
};

} // namespace strata
