// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerchange.h"
#include "ui/images/recordtablemodel.h"

#include <QVector>

namespace strata
{

/// What a container changed (ContainerDiff: the set `docker diff` prints), sorted by path:
/// added, changed or deleted, and the path.
class ChangesModel final : public RecordTableModel<ContainerChange>
{
    Q_OBJECT
public:
    enum Column { KindColumn, PathColumn };

    explicit ChangesModel(QObject *parent = nullptr);

    /// The changes of a container of `store` (none when null).
    void setChanges(std::shared_ptr<const ImageStore> store, const QVector<ContainerChange> &changes);
    /// How many changes of that kind.
    [[nodiscard]] int count(ContainerChange::Kind kind) const;

protected:
    [[nodiscard]] QVariant cellData(const ContainerChange &record, int column, int role) const override;

private:
};

} // namespace strata
