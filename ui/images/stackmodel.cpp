// SPDX-License-Identifier: GPL-2.0-or-later
#include "stackmodel.h"

#include "ui/images/storeformat.h"

namespace strata
{

StackModel::StackModel(QObject *parent)
    : RecordTableModel({tr("Role"), tr("Directory"), tr("Short link"), tr("Instruction")}, parent)
{
}

void StackModel::setContainer(std::shared_ptr<const ImageStore> store, qsizetype container)
{
    beginResetModel();
    m_records.clear();
    m_error.clear();
    if (store && container >= 0 && container < store->containerCount()) {
        auto stack = store->containerStack(container, true);
        if (stack)
            m_records = *stack;
        else
            m_error = stack.error().message;
    }
    replaceStore(std::move(store));
    endResetModel();
}

QVariant StackModel::cellData(const StackLayer &l, int column, int role) const
{
    switch (static_cast<Column>(column)) {
    case RoleColumn:
        return roleCell(l, role);
    case DirColumn:
        return cell(role, l.cacheId, l.diffDir, true);
    case LinkColumn:
        return cell(role,
            l.alias,
            l.alias.isEmpty() ? QString() : tr("%1 is a short link to %2").arg(l.alias, l.diffDir),
            true);
    case InstructionColumn:
        return cell(role, contents(l), {}, true);
    }
    return {};
}

QVariant StackModel::roleCell(const StackLayer &l, int role) const
{
    switch (l.kind) {
    case StoreLayerKind::ReadWrite:
        if (role == Qt::DecorationRole)
            return StoreFormat::icon(QStyle::SP_DialogSaveButton);
        return cell(role, tr("upper (read-write)"), l.name);
    case StoreLayerKind::Init:
        if (role == Qt::DecorationRole)
            return StoreFormat::icon(QStyle::SP_FileIcon);
        return cell(role, tr("init (lower)"), l.name);
    case StoreLayerKind::Image:
    case StoreLayerKind::Unused:
        break;
    }
    if (role == Qt::DecorationRole)
        return StoreFormat::icon(QStyle::SP_DirClosedIcon);
    return cell(role, l.imageLayer >= 0 ? tr("layer %1 (lower)").arg(l.imageLayer) : tr("lower"), l.name);
}

QString StackModel::contents(const StackLayer &l) const
{
    switch (l.kind) {
    case StoreLayerKind::ReadWrite:
        return tr("the container's changes");
    case StoreLayerKind::Init:
        return tr("/etc/hosts, /etc/resolv.conf… set up by %1").arg(store()->kindName());
    case StoreLayerKind::Image:
    case StoreLayerKind::Unused:
        break;
    }
    return l.createdBy;
}

} // namespace strata
