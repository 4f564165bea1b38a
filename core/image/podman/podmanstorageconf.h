// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

#include <sys/types.h>

namespace strata
{

/// Where containers-storage keeps a user's store, as storage.conf (containers-storage.conf(5))
/// says: root reads /etc/containers/storage.conf (else /usr/share/containers/storage.conf),
/// other users $XDG_CONFIG_HOME/containers/storage.conf (else ~/.config/…). Only the
/// [storage] table's `graphroot` and `driver` are read, with TOML's basic strings.
class PodmanStorageConf final
{
public:
    QString graphRoot; ///< the store's root: the file's graphroot, or the default
    QString driver; ///< "overlay", "vfs"…; empty when the file does not say
    QString file; ///< the storage.conf read, empty when there was none

    /// The configuration user `uid` sees (root: the system's; others: their rootless one, in
    /// $XDG_DATA_HOME or ~/.local/share/containers/storage by default).
    [[nodiscard]] static PodmanStorageConf forUser(uid_t uid);
    /// `graphroot` and `driver` of the [storage] table of `text`.
    [[nodiscard]] static PodmanStorageConf parse(const QByteArray &text);
};

} // namespace strata
