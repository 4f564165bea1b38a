// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"
#include "core/util/status.h"

#include <QList>
#include <QString>

#include <functional>

namespace strata
{

/// Every mount Stratascope makes is written down here (a small JSON file in the runtime
/// directory), so that `strata umount`, a clean exit and the next start after a crash can
/// find and remove it. A record with a pid belongs to a process that unmounts on exit; when
/// that process is gone and its mount is still there, the mount is stale.
class MountRegistry final
{
public:
    struct Record {
        QString mountPoint;
        QString workspace;
        QString overlay;
        QString backend;
        qint64 pid = 0; ///< 0: a persistent mount (`strata mount`)
        QString mountNamespace; ///< e.g. "mnt:[4026531841]"
    };

    /// STRATA_STATE_DIR, else $XDG_RUNTIME_DIR/stratascope, else /run/stratascope (root) or
    /// /tmp/stratascope-UID.
    explicit MountRegistry(const QString &directory = defaultDirectory());

    [[nodiscard]] static QString defaultDirectory();
    [[nodiscard]] static QString currentMountNamespace();

    [[nodiscard]] Result<QList<Record>> records() const;
    [[nodiscard]] Status add(const Record &record);
    [[nodiscard]] Status remove(const QString &mountPoint);
    /// Records of this mount namespace whose owner process is dead and whose mount is still
    /// mounted. Records whose mount is gone are forgotten on the way.
    [[nodiscard]] Result<QList<Record>> stale();
    [[nodiscard]] QString filePath() const;

private:
    [[nodiscard]] Status write(const QList<Record> &records) const;
    /// Read, change and write back, under the lock other processes respect; a change that
    /// fails leaves the file as it was.
    [[nodiscard]] Status update(const std::function<Status(QList<Record> &)> &change);

    QString m_dir;
};

} // namespace strata
