// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/storesource.h"

#include <QAbstractListModel>
#include <QVector>

namespace strata
{

/// The sources of the Images & Containers panel, one row each: those StoreSources found on the
/// host, then the archives opened. A source that cannot be read is listed disabled, with why.
class SourcesModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        /// QString: why the source cannot be shown (empty when it can).
        UnavailableRole = Qt::UserRole + 1,
        /// QString: StoreSource::kind.
        KindRole,
    };

    explicit SourcesModel(QObject *parent = nullptr);

    /// Replaces the sources found on the host; the archives stay.
    void setDiscovered(const QVector<StoreSource> &sources);
    /// Adds an archive (or replaces the one read from the same file); returns its row.
    int addArchive(const StoreSource &source);
    [[nodiscard]] const StoreSource *source(int row) const;
    /// The row of the source showing `store`, -1 for none.
    [[nodiscard]] int rowOf(const ImageStore *store) const;
    /// The row of the first source of that kind and root, -1 for none.
    [[nodiscard]] int rowOf(const QString &kind, const QString &root) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QVector<StoreSource> m_found;
    QVector<StoreSource> m_archives;
};

} // namespace strata
