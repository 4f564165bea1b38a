// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/chainid.h"
#include "core/image/storefiles.h"
#include "core/mount/mountinfo.h"
#include "core/util/result.h"

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

    /// The record with the ID `id`, or nullptr.
    template<typename Record>
    [[nodiscard]] static const Record *byId(const QVector<Record> &records, const QString &id)
    {
        const auto it = std::find_if(records.cbegin(), records.cend(), [&id](const Record &r) { return r.id == id; });
        return it == records.cend() ? nullptr : &*it;
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

    /// The record an ID or a unique prefix of one names ("sha256:" allowed): its index, -1
    /// when none does, an error when several do. `what` names the records: "image".
    template<typename Record>
    [[nodiscard]] static Result<qsizetype> byIdPrefix(
        const QVector<Record> &records, const QString &ref, const char *what)
    {
        const QString hex = ref.startsWith(QLatin1String("sha256:")) ? ref.mid(7) : ref;
        if (!StoreFiles::isHex(hex))
            return qsizetype(-1);
        const QVector<qsizetype> found = withIdPrefix(records, hex);
        if (found.size() > 1)
            return Error {EINVAL,
                QStringLiteral("%1 ID prefix \"%2\" is ambiguous (%3 %1s)")
                    .arg(QLatin1String(what), ref)
                    .arg(found.size())};
        return found.isEmpty() ? qsizetype(-1) : found.first();
    }

    /// Running, as far as the disk can tell: the containers (anything with `upperDir`,
    /// `running`, `status`, `mergedDir`) over whose upper directory an overlay is mounted.
    template<typename Container>
    static void markMounted(QVector<Container> &containers)
    {
        auto mounts = MountInfo::read();
        if (!mounts)
            return;
        for (Container &c : containers) {
            for (const MountInfo::Entry &m : std::as_const(*mounts)) {
                if (!c.upperDir.isEmpty() && m.fsType == QLatin1String("overlay") && m.upperDir == c.upperDir) {
                    c.running = true;
                    c.status = QStringLiteral("running");
                    c.mergedDir = m.mountPoint;
                    break;
                }
            }
        }
    }
};

} // namespace strata
