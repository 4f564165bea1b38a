// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernelsession.h"

#include "core/engine/overlaylock.h"
#include "core/engine/volatilemarker.h"
#include "core/mount/mountinfo.h"
#include "core/mount/stackmounter.h"

#include <cerrno>
#include <optional>

namespace strata
{

namespace
{
// Only a mount of this overlay's layers is edited through; another overlay someone mounted on
// the same mountpoint is not ours to change.
bool isMountedHere(const Workspace &workspace, int overlayIndex)
{
    return StackMounter(workspace).occupant(overlayIndex).ours();
}
} // namespace

KernelSession::KernelSession(const Workspace &workspace, int overlayIndex, Backend backend, ChangeTracker tracker)
    : m_workspace(workspace), m_index(overlayIndex), m_backend(backend), m_tracker(std::move(tracker))
{
}

Result<KernelSession> KernelSession::open(const Workspace &workspace, int overlayIndex, Backend mountBackend)
{
    if (overlayIndex < 0 || overlayIndex >= workspace.overlays().size())
        return Error {EINVAL, QStringLiteral("no overlay number %1").arg(overlayIndex)};
    if (!isMountBackend(mountBackend))
        return Error {EINVAL,
            QStringLiteral("a kernel session mounts with kernel, userns or fuse, not %1")
                .arg(backendName(mountBackend))};
    // On a mount that exists here, edits go through it, whatever would have mounted it.
    const Backend backend = isMountedHere(workspace, overlayIndex) ? Backend::Kernel : mountBackend;
    auto tracker = ChangeTracker::create(workspace, overlayIndex, backend == Backend::Userns);
    if (!tracker)
        return tracker.error();
    KernelSession session(workspace, overlayIndex, backend, std::move(tracker.value()));
    for (int i = 0; i <= overlayIndex; ++i) { // what runInNamespace mounts
        const OverlaySpec &s = workspace.overlays().at(i);
        if (s.options.volatileMount && s.hasUpper() && !VolatileMarker::exists(s.work))
            session.m_ownMarkers << s.work;
    }
    return session;
}

QString KernelSession::describe() const
{
    return m_how;
}

Result<StackSession::Outcome> KernelSession::apply(const MergedOperation &operation)
{
    const OverlaySpec &spec = m_workspace.overlays().at(m_index);
    Outcome out;
    out.command = operation.shellCommand(m_workspace.displayPath(spec.mountpoint));
    m_tracker.snapshot();
    if (isMountedHere(m_workspace, m_index)) {
        m_how = QStringLiteral("on the mounted overlay");
        out.error = operation.apply(spec.mountpoint);
    } else {
        m_how = QStringLiteral("in a private %1 mount").arg(backendName(m_backend));
        // Mounting empties work/work: never while an engine edit of these layers is under way.
        std::optional<OverlayLock> lock;
        if (!spec.work.isEmpty()) {
            auto locked = OverlayLock::acquire(spec.work);
            if (!locked)
                return locked.error();
            lock.emplace(std::move(locked).value());
        }
        for (const QString &work : std::as_const(m_ownMarkers)) {
            if (const Status removed = VolatileMarker::remove(work); !removed.ok())
                return removed.error();
        }
        StackMounter mounter(m_workspace);
        const QString target = spec.mountpoint;
        auto rc = mounter.runInNamespace(m_backend, m_index, [&operation, target] { return operation.apply(target); });
        if (!rc)
            return rc.error();
        out.error = *rc;
    }
    if (out.error)
        out.fail(Error {out.error, MergedOperation::explainError(operation.verb(), out.error, spec.hasUpper())});
    out.events = m_tracker.changes(out.command);
    return out;
}

} // namespace strata
