// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/changetracker.h"
#include "core/session/backend.h"
#include "core/session/stacksession.h"
#include "core/stack/workspace.h"

namespace strata
{

/// Edits go to the kernel: on the overlay when it is mounted here, otherwise in a mount made
/// for the edit in a private (user) namespace of a child process, which vanishes with it.
/// Events come from a ChangeTracker comparing the upper layer before and after.
class KernelSession final : public StackSession
{
public:
    /// `mountBackend` (kernel, userns or fuse) makes the private mount of each edit when the
    /// overlay is not mounted here; BackendPolicy::openSession() picks it and checks it works.
    [[nodiscard]] static Result<KernelSession> open(const Workspace &workspace, int overlayIndex, Backend mountBackend);

    [[nodiscard]] Result<Outcome> apply(const MergedOperation &operation) override;
    [[nodiscard]] QString describe() const override;

private:
    KernelSession(const Workspace &workspace, int overlayIndex, Backend backend, ChangeTracker tracker);

    Workspace m_workspace;
    int m_index;
    Backend m_backend;
    ChangeTracker m_tracker;
    QString m_how;
    /// Work directories of volatile overlays this session mounts that had no volatile marker
    /// when it opened: every edit mounts again, and the session is one mount to its user, so
    /// the marker its own previous edit left goes before the next (VolatileMarker).
    QStringList m_ownMarkers;
};

} // namespace strata
