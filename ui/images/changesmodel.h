// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerchange.h"
#include "core/image/imagestore.h"

#include <QAbstractItemModel>
#include <QVector>

#include <array>
#include <memory>

namespace strata
{

/// What a container changed (ContainerDiff: the set `docker diff` prints) as a tree of its
/// paths: each name with its change (added, changed, deleted; none for a directory that is
/// only on the way) and, for a directory, how many changes are below it. The changes are the
/// records; the tree is an index over them, built once per container.
class ChangesModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { PathColumn, KindColumn, BelowColumn };
    enum Role {
        /// QString: the whole path, "/etc/hostname".
        PathRole = Qt::UserRole + 1,
    };

    explicit ChangesModel(QObject *parent = nullptr);

    /// The changes of a container of `store` (none when null), sorted by path.
    void setChanges(std::shared_ptr<const ImageStore> store, const QVector<ContainerChange> &changes);
    [[nodiscard]] const QVector<ContainerChange> &changes() const { return m_changes; }
    /// How many changes of that kind.
    [[nodiscard]] int count(ContainerChange::Kind kind) const;
    /// The path of the row at `index` ("/etc/hostname"), empty for none.
    [[nodiscard]] QString path(const QModelIndex &index) const;
    /// The change of the row at `index`, null for a directory only on the way to one.
    [[nodiscard]] const ContainerChange *change(const QModelIndex &index) const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Node {
        QByteArray name;
        QByteArray path;
        int parent = -1; // -1: a top-level row
        int row = 0; // among its parent's children
        int change = -1; // into m_changes
        QVector<int> children;
        std::array<int, 3> below {}; // added, changed, deleted under it
    };
    [[nodiscard]] int nodeOf(const QModelIndex &index) const;
    [[nodiscard]] int child(int parent, const QByteArray &name);
    void build();
    [[nodiscard]] QVariant kindCell(const Node &node, int role) const;
    [[nodiscard]] QString belowText(const Node &node) const;

    std::shared_ptr<const ImageStore> m_store;
    QVector<ContainerChange> m_changes;
    QVector<Node> m_nodes;
    QVector<int> m_top;
};

} // namespace strata
