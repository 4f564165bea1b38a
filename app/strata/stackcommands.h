// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"
#include "app/strata/console.h"
#include "core/session/backendpolicy.h"
#include "core/stack/workspace.h"

#include <optional>

namespace strata
{

class ArgParser;
class MountRegistry;
class StackMounter;

/// The commands on a workspace's stack: scenario, tree, mount, umount, status, mounts, op,
/// shell, events (docs/cli.md).
class StackCommands final : public CommandFamily
{
public:
    explicit StackCommands(Console &console);

    [[nodiscard]] QStringList commands() const override;
    [[nodiscard]] QString synopsis() const override;
    [[nodiscard]] QString help(const QString &command) const override;
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

private:
    using Command = int (StackCommands::*)(const QStringList &);
    struct Entry {
        const char *name;
        Command command;
    };
    static const Entry Table[];

    int scenario(const QStringList &args);
    int tree(const QStringList &args);
    int mount(const QStringList &args);
    int umount(const QStringList &args);
    int umountStale();
    int status(const QStringList &args);
    int mounts(const QStringList &args);
    int op(const QStringList &args);
    int shell(const QStringList &args);
    int events(const QStringList &args);

    /// WS and --overlay (the first overlay by default).
    struct OverlayTarget {
        Workspace workspace;
        int index = 0;
    };
    /// Loads them; nullopt after saying why not.
    [[nodiscard]] std::optional<OverlayTarget> overlayTarget(const ArgParser &p);
    /// What mount and shell start from: one workspace and a backend that mounts here.
    struct MountTarget {
        std::optional<Workspace> workspace; ///< none: the command is over, with `exit`
        BackendPolicy::Choice choice;
        int exit = Console::Success;
    };
    /// Parses WS and --backend (which needs a real mount: no engine) and checks it works here.
    [[nodiscard]] MountTarget mountTarget(ArgParser &p, const QStringList &args, const QString &usage);
    /// Checks the kernel accepts the stack in a user namespace, where such mounts live.
    int tryUsernsMount(const Workspace &workspace);
    /// Keeps the stack mounted until SIGINT or SIGTERM, then takes it down.
    int holdMounts(StackMounter &mounter, MountRegistry &registry);

    Console &m_console;
    BackendPolicy m_policy;
};

} // namespace strata
