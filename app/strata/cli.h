// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"
#include "app/strata/console.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace strata
{

/// The `strata` command line (contract in docs/cli.md): finds the family that answers the
/// command word and hands it the rest.
class Cli final
{
public:
    Cli(QIODevice &out, QIODevice &err);
    /// `args` excludes the program name; file names in it are decodeFileName() strings (the
    /// exact bytes of argv). Returns the exit status.
    [[nodiscard]] int run(const QStringList &args);

    [[nodiscard]] QString usage() const;

private:
    [[nodiscard]] int dispatch(const QStringList &args);
    [[nodiscard]] CommandFamily *familyOf(const QString &command) const;

    Console m_console;
    std::vector<std::unique_ptr<CommandFamily>> m_families;
};

} // namespace strata
