// SPDX-License-Identifier: GPL-2.0-or-later
#include "backendpolicy.h"

#include "core/mount/mountinfo.h"
#include "core/mount/stackmounter.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"
#include "core/stack/mountcommand.h"

#include <QFileInfo>

#include <cerrno>
#include <unistd.h>

namespace strata
{

namespace
{

const QString UsernsMountText = QStringLiteral(
    "A user-namespace mount exists only inside its own namespace, so a normal user cannot mount the overlay "
    "for the whole desktop. With this backend nothing needs mounting: each edit, and each terminal (Open "
    "terminal here), gets its own private mount, which vanishes when it is done.");

const QString EngineMountText = QStringLiteral(
    "The userspace engine edits the layer directories the way the kernel would and mounts nothing; pick the "
    "kernel (as root) or fuse-overlayfs to mount.");

bool mountedHere(const QString &mountPoint)
{
    const auto m = MountInfo::overlayAt(mountPoint);
    return m.has_value();
}

// What the app itself mounts in a user namespace (StackMounter rewrites the options userxattr
// forbids), in a shell that keeps the namespace, and so the mount, alive.
QString usernsCommand(const Workspace &workspace, int overlayIndex)
{
    const KernelMounter::Request r = StackMounter(workspace).request(overlayIndex, Backend::Userns);
    const QStringList opts = r.layerOptions() + r.options;
    const QString inner
        = QStringLiteral("mount -t overlay overlay -o %1 %2 && cd %2 && exec \"${SHELL:-sh}\"")
              .arg(MountCommand::shellQuote(opts.join(QLatin1Char(','))), MountCommand::shellQuote(r.target));
    return QStringLiteral("unshare -Urm sh -c ") + MountCommand::shellQuote(inner);
}

} // namespace

BackendPolicy::Facts BackendPolicy::Facts::probe()
{
    Facts f;
    f.root = ::geteuid() == 0;
    f.usernsProblem = StackMounter::usernsProblem();
    f.fuseInstalled = StackMounter::fuseOverlayfsAvailable();
    f.devFuse = QFileInfo::exists(QStringLiteral("/dev/fuse"));
    return f;
}

BackendPolicy::BackendPolicy(Facts facts) : m_facts(std::move(facts))
{
}

QString BackendPolicy::fuseProblem() const
{
    if (!m_facts.fuseInstalled)
        return QStringLiteral("fuse-overlayfs is not installed");
    if (!m_facts.devFuse)
        return QStringLiteral("there is no /dev/fuse (FUSE is not available in this kernel or container)");
    return {};
}

BackendPolicy::Choice BackendPolicy::chooseAutoMount() const
{
    if (m_facts.root)
        return Choice {Backend::Kernel, QStringLiteral("running as root: the kernel's overlayfs"), {}};
    if (m_facts.usernsProblem.isEmpty())
        return Choice {Backend::Userns,
            QStringLiteral("not root: the kernel's overlayfs inside a user namespace (userxattr)"),
            {}};
    if (fuseProblem().isEmpty())
        return Choice {Backend::Fuse, QStringLiteral("not root and %1: fuse-overlayfs").arg(m_facts.usernsProblem), {}};
    return Choice {Backend::Userns,
        {},
        QStringLiteral("cannot mount as a normal user here: %1, and %2").arg(m_facts.usernsProblem, fuseProblem())};
}

BackendPolicy::Choice BackendPolicy::chooseMount(Backend requested) const
{
    Choice c {requested, QStringLiteral("requested"), {}};
    switch (requested) {
    case Backend::Auto:
        return chooseAutoMount();
    case Backend::Engine:
        c.problem = QStringLiteral("the userspace engine mounts nothing; pick kernel, userns or fuse");
        break;
    case Backend::Kernel:
        if (!m_facts.root)
            c.problem = QStringLiteral("the kernel backend needs root (CAP_SYS_ADMIN); try --backend userns");
        break;
    case Backend::Userns:
        c.problem = m_facts.usernsProblem;
        break;
    case Backend::Fuse:
        c.problem = fuseProblem();
        if (!m_facts.fuseInstalled)
            c.problem += QStringLiteral(" (Debian package fuse-overlayfs)");
        break;
    }
    return c;
}

BackendPolicy::Choice BackendPolicy::choose(Backend requested) const
{
    if (requested == Backend::Engine)
        return Choice {Backend::Engine, QStringLiteral("requested: the userspace engine, no mount"), {}};
    const Choice mount = chooseMount(requested);
    if (requested != Backend::Auto || mount.problem.isEmpty())
        return mount;
    // Nothing mounts here: the engine does the same edits without a mount.
    return Choice {Backend::Engine,
        QStringLiteral("%1; edits go through the userspace engine instead, which needs no mount").arg(mount.problem),
        {}};
}

QString BackendPolicy::label(Backend backend) const
{
    switch (backend) {
    case Backend::Auto:
        return QStringLiteral("automatic: %1").arg(label(choose(Backend::Auto).backend));
    case Backend::Engine:
        return QStringLiteral("userspace engine (no mount)");
    case Backend::Kernel:
        return QStringLiteral("kernel overlayfs (root)");
    case Backend::Userns:
        return QStringLiteral("user namespace (userxattr)");
    case Backend::Fuse:
        return QStringLiteral("fuse-overlayfs");
    }
    return {};
}

BackendPolicy::Info BackendPolicy::info(Backend backend) const
{
    Info i;
    i.backend = backend;
    i.name = backendName(backend);
    i.label = label(backend);
    switch (backend) {
    case Backend::Auto: {
        const Info resolved = info(choose(Backend::Auto).backend);
        i.usable = true;
        i.mountable = resolved.mountable;
        i.mountProblem = resolved.mountProblem;
        break;
    }
    case Backend::Engine:
        i.usable = true;
        i.mountProblem = EngineMountText;
        break;
    case Backend::Kernel:
    case Backend::Userns:
    case Backend::Fuse:
        i.problem = chooseMount(backend).problem;
        i.usable = i.problem.isEmpty();
        if (backend == Backend::Userns) {
            i.mountProblem = UsernsMountText;
        } else {
            i.mountable = i.usable;
            i.mountProblem = i.problem;
        }
        break;
    }
    return i;
}

QList<BackendPolicy::Info> BackendPolicy::backends() const
{
    QList<Info> list;
    for (Backend b : AllBackends)
        list << info(b);
    return list;
}

QString BackendPolicy::mountCommand(const Workspace &workspace, int overlayIndex, Backend backend) const
{
    const OverlaySpec &spec = workspace.overlays().at(overlayIndex);
    switch (backend == Backend::Auto ? choose(Backend::Auto).backend : backend) {
    case Backend::Userns:
        return usernsCommand(workspace, overlayIndex);
    case Backend::Fuse:
        return MountCommand::fuseCommand(spec);
    case Backend::Engine:
        return QStringLiteral("# No mount: the engine does in user space what this would do:\n")
            + MountCommand::shellCommand(spec);
    case Backend::Auto:
    case Backend::Kernel:
        break;
    }
    return MountCommand::shellCommand(spec);
}

Result<BackendPolicy::Opened> BackendPolicy::openSession(
    const Workspace &workspace, int overlayIndex, Backend requested) const
{
    if (overlayIndex < 0 || overlayIndex >= workspace.overlays().size())
        return Error {EINVAL, QStringLiteral("no overlay number %1").arg(overlayIndex)};
    const QString mountPoint = workspace.overlays().at(overlayIndex).mountpoint;
    Choice choice = choose(requested);
    // Edits under a live mount go through it: the engine must not change its layers behind its back.
    if (requested == Backend::Auto && choice.backend == Backend::Engine && mountedHere(mountPoint))
        choice
            = Choice {Backend::Kernel, QStringLiteral("the overlay is mounted here: edits go through that mount"), {}};
    if (choice.backend == Backend::Engine) {
        auto engine = EngineSession::open(workspace, overlayIndex);
        if (!engine)
            return engine.error();
        return Opened {std::make_unique<EngineSession>(std::move(engine.value())), choice};
    }
    if (!choice.problem.isEmpty() && !mountedHere(mountPoint))
        return Error {EPERM, choice.problem};
    auto kernel = KernelSession::open(workspace, overlayIndex, choice.backend);
    if (!kernel)
        return kernel.error();
    return Opened {std::make_unique<KernelSession>(std::move(kernel.value())), choice};
}

} // namespace strata
