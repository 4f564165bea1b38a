// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/stacklayer.h"
#include "ui/images/recordtablemodel.h"

namespace strata
{

/// A container's stack as its overlay is mounted, top first: the read-write layer, the init
/// layer, the image's layers; each with its directory, the driver's short name and what it
/// holds (the instruction, for image layers).
class StackModel final : public RecordTableModel<StackLayer>
{
    Q_OBJECT
public:
    enum Column { RoleColumn, DirColumn, LinkColumn, InstructionColumn };

    explicit StackModel(QObject *parent = nullptr);

    /// Shows the stack of the store's container `container` (nothing for -1, a null store or
    /// a container whose layers are unknown: then error() says why).
    void setContainer(std::shared_ptr<const ImageStore> store, qsizetype container);
    [[nodiscard]] const QString &error() const { return m_error; }

protected:
    [[nodiscard]] QVariant cellData(const StackLayer &record, int column, int role) const override;

private:
    [[nodiscard]] QVariant roleCell(const StackLayer &layer, int role) const;
    [[nodiscard]] QString contents(const StackLayer &layer) const;

    QString m_error;
};

} // namespace strata
