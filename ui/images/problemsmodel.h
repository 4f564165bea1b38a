// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeproblem.h"
#include "ui/images/recordtablemodel.h"

namespace strata
{

/// What could not be read in a store (and during a search of it), one line each.
class ProblemsModel final : public RecordTableModel<StoreProblem>
{
    Q_OBJECT
public:
    explicit ProblemsModel(QObject *parent = nullptr);

    void setProblems(const StoreProblems &problems);
    [[nodiscard]] const StoreProblems &problems() const { return records(); }

protected:
    [[nodiscard]] QVariant cellData(const StoreProblem &record, int column, int role) const override;
};

} // namespace strata
