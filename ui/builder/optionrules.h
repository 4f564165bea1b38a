// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/optionprobe.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace strata
{

/// What the builder lets go together in one overlay's options ("KEY=VALUE" or "KEY", as
/// OverlayRequest holds them): the pairs the kernel refuses (MountRefusal: metacopy=on needs
/// redirect_dir=on, nfs_export=on needs index=on and no metacopy, userxattr neither metacopy
/// nor redirects), said in the probed kernel's own words, and allowed where it took them.
class OptionRules final
{
public:
    struct Change {
        QStringList options;
        QString note; ///< what else changed with it, in a sentence; empty when nothing did
    };

    /// The options as the workspace file holds them: {"redirect_dir": "on", "userxattr": true}.
    [[nodiscard]] static QJsonObject json(const QStringList &options);
    /// The value of `key` in `options`: "on" for a flag that is set, empty when not given.
    [[nodiscard]] static QString value(const QStringList &options, const QString &key);
    /// `options` with `key` set to `value` (empty: removed, the kernel's default), and the
    /// options a dependency changes with it; in the order the workspace file keeps them.
    [[nodiscard]] static Change set(const QStringList &options, const QString &key, const QString &value);
    /// Why `key`=`value` cannot be chosen along with the other options, in a sentence; empty
    /// when it can. `value` "on" for a flag.
    [[nodiscard]] static QString conflict(const QStringList &options,
        const QString &key,
        const QString &value,
        bool writable,
        const OptionProbe::Support &support);
    /// Why no lower can be marked data-only (datadir+): the running kernel's refusal; empty
    /// when it takes them.
    [[nodiscard]] static QString dataOnlyRefusal(const OptionProbe::Support &support);
    /// Why the kernel or the workspace file does not take `key`=`value` at all; empty when both do.
    [[nodiscard]] static QString unsupported(
        const QString &key, const QString &value, const OptionProbe::Support &support);
};

} // namespace strata
