// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/backend.h"
#include "core/session/stacksession.h"
#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <QList>
#include <QString>

#include <memory>

namespace strata
{

/// Which backends work on this machine and why the others do not, what `auto` means here
/// (with one sentence saying why, the same in the window and on the command line), the exact
/// mount command of each backend, and opening an edit session through one. The window
/// (MountController) and `strata` both decide through it.
class BackendPolicy final
{
public:
    /// What the decisions rest on, read from the machine by probe() (tests make up their own).
    struct Facts {
        bool root = false; ///< effective uid 0
        QString usernsProblem; ///< why unprivileged user namespaces cannot be used; empty: they can
        bool fuseInstalled = false; ///< fuse-overlayfs on PATH
        bool devFuse = false; ///< /dev/fuse exists
        [[nodiscard]] static Facts probe();
    };
    /// A backend resolved for one use: never Auto.
    struct Choice {
        Backend backend = Backend::Engine;
        QString reason; ///< why this one: one sentence
        QString problem; ///< non-empty: it cannot work here, and why
    };
    /// One backend as the window lists it.
    struct Info {
        Backend backend = Backend::Auto;
        QString name; ///< backendName()
        QString label; ///< for people: "kernel overlayfs (root)" ...
        bool usable = false; ///< edits can go through it here
        QString problem; ///< why not, when !usable
        bool mountable = false; ///< can mount in this process's namespace (the Mount button)
        QString mountProblem; ///< why not, when !mountable
    };
    /// An open session and the backend its edits go through.
    struct Opened {
        std::unique_ptr<StackSession> session;
        Choice choice;
    };

    explicit BackendPolicy(Facts facts = Facts::probe());

    [[nodiscard]] const Facts &facts() const { return m_facts; }

    /// For edits: an explicit backend as it is (with its problem, if any); `auto` the first that
    /// mounts here (kernel as root, else userns, else fuse), else the userspace engine.
    [[nodiscard]] Choice choose(Backend requested) const;
    /// For mounts and shells, which need a real mount: like choose(), but `auto` never gives
    /// the engine (a problem instead), and the engine itself is a problem.
    [[nodiscard]] Choice chooseMount(Backend requested) const;

    /// Every backend, Auto first, with what works here and why not.
    [[nodiscard]] QList<Info> backends() const;
    [[nodiscard]] Info info(Backend backend) const;
    /// "automatic: kernel overlayfs (root)", "userspace engine (no mount)", ...
    [[nodiscard]] QString label(Backend backend) const;

    /// The command that mounts the overlay the way this backend does, to read and copy: kernel
    /// `mount -t overlay ...`, userns `unshare -Urm sh -c '...'` with the options the app itself
    /// uses there, `fuse-overlayfs ...`, and for the engine the kernel's command under a note
    /// that nothing is mounted. Auto: the command of what it resolves to.
    [[nodiscard]] QString mountCommand(const Workspace &workspace, int overlayIndex, Backend backend) const;

    /// A session on one overlay through choose(requested). A mount backend that cannot mount
    /// here still works on a mount of the overlay that exists in this namespace.
    [[nodiscard]] Result<Opened> openSession(const Workspace &workspace, int overlayIndex, Backend requested) const;

private:
    [[nodiscard]] QString fuseProblem() const;
    [[nodiscard]] Choice chooseAutoMount() const;

    Facts m_facts;
};

} // namespace strata
