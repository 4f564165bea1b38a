// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"
#include "app/strata/console.h"

#include <optional>

namespace strata
{

/// A family that is one command word with subcommands of its own (`docker ...`, `image ...`):
/// it answers that word, adds its synopsis to `strata --help`, and its usage is its --help.
class SubcommandFamily : public CommandFamily
{
public:
    SubcommandFamily(Console &console, QString word, QString synopsis, QString usage);

    [[nodiscard]] QStringList commands() const final { return {m_word}; }
    [[nodiscard]] QString synopsis() const final { return m_synopsis; }
    [[nodiscard]] QString help(const QString &) const final { return m_usage; }

protected:
    /// A usage error, pointing at `strata WORD --help`; returns Usage.
    [[nodiscard]] int usageError(const QString &message);
    /// Before a subcommand runs: none given (a usage error listing `known`, e.g. "images,
    /// layers") or help asked for (the usage printed) is an exit status; nullopt: go on.
    [[nodiscard]] std::optional<int> opening(const QStringList &args, const QString &known);

    Console &m_console;

private:
    QString m_word;
    QString m_synopsis;
    QString m_usage;
};

} // namespace strata
