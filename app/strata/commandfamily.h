// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// One family of `strata` commands: the stack commands, `docker ...`, and later `image`,
/// `containerd`, `podman`. A new family is one class like this in its own file and one line
/// in Cli::Cli(); it writes through the Console it is given.
class CommandFamily
{
public:
    virtual ~CommandFamily() = default;

    /// The command words it answers, e.g. {"mount", "umount"} or {"docker"}.
    [[nodiscard]] virtual QStringList commands() const = 0;
    /// Its section of `strata --help`.
    [[nodiscard]] virtual QString synopsis() const = 0;
    /// What `strata COMMAND ... --help` prints; empty: the general help.
    [[nodiscard]] virtual QString help(const QString &command) const = 0;
    /// Runs `command` with the arguments after it; returns the exit status (Console::ExitCode).
    [[nodiscard]] virtual int run(const QString &command, const QStringList &args) = 0;
};

} // namespace strata
