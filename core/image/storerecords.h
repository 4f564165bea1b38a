// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/chainid.h"
#include "core/image/storefiles.h"

#include <QString>
#include <QVector>

#include <algorithm>

namespace strata
{

/// What every store does with its image and container records (anything with `id` and
/// `created`): the order its CLI lists them in, and lookups by ID prefix.
class StoreRecords final
{
public:
    /// Newest first, like `docker images` and `docker ps -a`; the ID decides between equals.
    template<typename Record>
    static void sortNewestFirst(QVector<Record> &records)
    {
        std::stable_sort(records.begin(), records.end(), [](const Record &a, const Record &b) {
            const QDateTime ta = StoreFiles::parseTime(a.created);
            const QDateTime tb = StoreFiles::parseTime(b.created);
            if (ta != tb)
                return ta > tb;
            return a.id < b.id;
        });
    }

    /// The records whose ID, algorithm left out, starts with `prefix`: a unique one is what an
    /// ID prefix names.
    template<typename Record>
    [[nodiscard]] static QVector<qsizetype> withIdPrefix(const QVector<Record> &records, const QString &prefix)
    {
        QVector<qsizetype> found;
        for (qsizetype i = 0; i < records.size(); ++i) {
            if (ChainId::hex(records[i].id).startsWith(prefix))
                found << i;
        }
        return found;
    }
};

} // namespace strata
