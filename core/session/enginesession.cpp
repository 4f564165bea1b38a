// SPDX-License-Identifier: GPL-2.0-or-later
#include "enginesession.h"

#include "core/engine/mountrefusal.h"
#include "core/engine/volatilemarker.h"
#include "core/mount/mountinfo.h"

#include <QFileInfo>

#include <cerrno>

namespace strata
{

EngineSession::EngineSession(const Workspace &workspace, int overlayIndex, OverlayEngine::Config config)
    : m_workspace(workspace), m_index(overlayIndex), m_engine(std::make_unique<OverlayEngine>(std::move(config)))
{
}

Result<EngineSession> EngineSession::open(const Workspace &workspace, int overlayIndex)
{
    if (overlayIndex < 0 || overlayIndex >= workspace.overlays().size())
        return Error {EINVAL, QStringLiteral("no overlay number %1").arg(overlayIndex)};
    const OverlaySpec &spec = workspace.overlays().at(overlayIndex);
    if (!spec.hasUpper())
        return Error {EROFS, QStringLiteral("overlay \"%1\" has no upper layer: it is read-only").arg(spec.name)};
    // The kernel refuses to mount it (fs/overlayfs/super.c): so does the engine, first.
    if (auto refused = MountRefusal::of(workspace, overlayIndex))
        return *refused;
    const OverlayOptions &o = spec.options;
    if (o.index == QLatin1String("on") || o.nfsExport == QLatin1String("on"))
        return Error {ENOTSUP,
            QStringLiteral("the engine supports index=off only; overlay \"%1\" asks for %2: use a kernel mount")
                .arg(spec.name, o.mountOptionList().join(QLatin1Char(',')))};
    // Opening the session is the mount: a volatile one leaves its marker, as the kernel's does.
    for (const int i : workspace.mountedWith(overlayIndex)) {
        const OverlaySpec &s = workspace.overlays().at(i);
        if (s.options.volatileMount && s.hasUpper()) {
            if (const Status made = VolatileMarker::create(s.work); !made.ok())
                return made.error();
        }
    }
    auto layers = workspace.mergeLayers(overlayIndex);
    if (!layers)
        return layers.error();
    OverlayEngine::Config c;
    for (const MergeLayer &l : *layers) {
        if (l.role == LayerRole::Lower) {
            (l.dataOnly ? c.dataLowers : c.lowers) << l.path;
            (l.dataOnly ? c.dataLowerNames : c.lowerNames) << l.name;
        }
    }
    c.upper = spec.upper;
    c.work = spec.work;
    c.upperName = workspace.displayPath(spec.upper);
    c.workName = workspace.displayPath(spec.work);
    const MergeOptions m = o.mergeOptions();
    c.xattrs = m.xattrs;
    c.followRedirects = m.followRedirects;
    c.redirectDir = o.redirectDir == QLatin1String("on");
    c.metacopy = o.metacopy == QLatin1String("on");
    c.allowOfflineChanges = !c.redirectDir && !c.metacopy && o.xino != QLatin1String("on");
    return EngineSession(workspace, overlayIndex, std::move(c));
}

QString EngineSession::describe() const
{
    return QStringLiteral("by the userspace engine, no mount");
}

std::optional<QString> EngineSession::liveMount() const
{
    const OverlaySpec &spec = m_workspace.overlays().at(m_index);
    auto mounts = MountInfo::read();
    if (!mounts)
        return std::nullopt;
    auto same = [](const QString &a, const QString &b) {
        return !a.isEmpty() && !b.isEmpty() && QFileInfo(a).canonicalFilePath() == QFileInfo(b).canonicalFilePath();
    };
    // Mounted at its mount point, or its upper or work directory in use by any overlay here.
    for (const MountInfo::Entry &m : std::as_const(*mounts)) {
        if (m.isAnyOverlay()
            && (same(m.mountPoint, spec.mountpoint) || same(m.upperDir, spec.upper) || same(m.workDir, spec.work)))
            return m.mountPoint;
    }
    return std::nullopt;
}

Result<StackSession::Outcome> EngineSession::apply(const MergedOperation &operation)
{
    const OverlaySpec &spec = m_workspace.overlays().at(m_index);
    Outcome out;
    out.command = operation.shellCommand(m_workspace.displayPath(spec.mountpoint));
    // Changing the layers of a live mount behind the kernel's back is undefined behaviour.
    if (const auto at = liveMount()) {
        return Error {EBUSY,
            QStringLiteral("overlay \"%1\" is mounted at %2: the engine does not change the layers of a live "
                           "mount; edit through the mount (strata op without --engine), or unmount it first")
                .arg(spec.name, *at)};
    }
    QList<OverlayEvent> steps;
    m_engine->setStepCallback([&steps, &out](const OverlayEvent &e) {
        OverlayEvent copy = e;
        copy.command = out.command;
        steps << copy;
    });
    const Status done = m_engine->perform(operation);
    m_engine->setStepCallback({});
    if (!done)
        out.fail(done.error());
    out.events = steps;
    return out;
}

} // namespace strata
