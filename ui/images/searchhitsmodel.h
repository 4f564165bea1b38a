// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/searchhit.h"
#include "ui/images/recordtablemodel.h"

#include <QHash>
#include <QVector>

namespace strata
{

/// The hits of one find or grep over a store's layers, in the order found: the path, what it
/// is, the layer by the instruction that made it ("layer 3: RUN mkdir …") and who uses it,
/// and the match. Hits arrive in
/// batches while the search runs; only the first `maxRows` are kept.
class SearchHitsModel final : public RecordTableModel<SearchHit>
{
    Q_OBJECT
public:
    enum Column { PathColumn, KindColumn, LayerColumn, OwnerColumn, MatchColumn };
    static constexpr int DefaultMaxRows = 5000;

    explicit SearchHitsModel(QObject *parent = nullptr);

    /// Empties the list for a new search (grep: the last column shows the matching line).
    void clear(bool grep);
    /// Adds hits at the end, up to the row limit.
    void append(const QVector<SearchHit> &hits);
    void setMaxRows(int rows) { m_maxRows = rows; }
    [[nodiscard]] int maxRows() const { return m_maxRows; }
    [[nodiscard]] const SearchHit &hit(int row) const { return m_records.at(row); }
    /// How the hit's layer is named: "layer 3: RUN mkdir /app" for an image layer whose
    /// instruction is known, else the store's name for the directory.
    [[nodiscard]] QString layerText(const SearchHit &hit) const;

protected:
    void storeChanged() override;
    [[nodiscard]] QVariant cellData(const SearchHit &record, int column, int role) const override;

private:
    [[nodiscard]] QVariant pathCell(const SearchHit &hit, int role) const;
    [[nodiscard]] QString kindText(const SearchHit &hit) const;
    [[nodiscard]] QString ownerText(const SearchHit &hit) const;
    [[nodiscard]] QString matchText(const SearchHit &hit) const;

    QHash<QString, QString> m_instructions; // the store's layer directories' instructions, by cache ID
    bool m_grep = false;
    int m_maxRows = DefaultMaxRows;
};

} // namespace strata
