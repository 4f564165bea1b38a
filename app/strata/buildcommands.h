// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"

namespace strata
{

class Console;

/// Building stacks from the command line (docs/cli.md): `strata new` adds an overlay of the
/// user's own directories to a workspace file, `strata check` asks the kernel whether each
/// overlay mounts, in a namespace that is thrown away.
class BuildCommands final : public CommandFamily
{
public:
    explicit BuildCommands(Console &console);

    [[nodiscard]] QStringList commands() const override;
    [[nodiscard]] QString synopsis() const override;
    [[nodiscard]] QString help(const QString &command) const override;
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

private:
    [[nodiscard]] int newOverlay(const QStringList &args);
    [[nodiscard]] int check(const QStringList &args);

    Console &m_console;
};

} // namespace strata
