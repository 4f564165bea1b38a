// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeproblem.h"

#include <QHash>
#include <QString>

namespace strata
{

/// What libpod knows of its containers and containers-storage does not: their state, in
/// <root>/libpod/bolt_state.db (Podman 4's BoltDB state), read like containerd's databases
/// (BoltFile: no lock taken, nothing written). Per container ID: the status as `podman
/// inspect` words it and the exit code.
class PodmanStateDb final
{
public:
    struct State {
        QString status; ///< created, running, stopped, paused, exited, removing, stopping, unknown
        int exitCode = 0;
    };

    /// <root>/libpod/bolt_state.db
    [[nodiscard]] static QString path(const QString &root);
    /// The states of the store at `root`; none when the file is not there (a store Podman never
    /// ran containers from, or one whose state is elsewhere), a problem when it cannot be read.
    [[nodiscard]] static QHash<QString, State> read(const QString &root, StoreProblems &problems);
    /// libpod's define.ContainerStatus as a word.
    [[nodiscard]] static QString statusWord(int state);
};

} // namespace strata
