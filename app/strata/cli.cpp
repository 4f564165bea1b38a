// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include "app/strata/buildcommands.h"
#include "app/strata/comparecommands.h"
#include "app/strata/containerdcommands.h"
#include "app/strata/dockercommands.h"
#include "app/strata/imagecommands.h"
#include "app/strata/podmancommands.h"
#include "app/strata/stackcommands.h"

namespace strata
{

Cli::Cli(QIODevice &out, QIODevice &err) : m_console(out, err)
{
    // One line per family of commands.
    m_families.push_back(std::make_unique<StackCommands>(m_console));
    m_families.push_back(std::make_unique<BuildCommands>(m_console));
    m_families.push_back(std::make_unique<DockerCommands>(m_console));
    m_families.push_back(std::make_unique<ContainerdCommands>(m_console));
    m_families.push_back(std::make_unique<PodmanCommands>(m_console));
    m_families.push_back(std::make_unique<ImageCommands>(m_console));
    m_families.push_back(std::make_unique<CompareCommands>(m_console));
}

QString Cli::usage() const
{
    QString text = QStringLiteral("strata - make Linux OverlayFS visible (command-line tool of Stratascope)\n"
                                  "\n"
                                  "Usage: strata COMMAND [ARGS...]\n");
    for (const auto &family : m_families)
        text += QLatin1Char('\n') + family->synopsis();
    return text
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --help      show this help\n"
                         "  --version   show the version\n"
                         "\n"
                         "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

CommandFamily *Cli::familyOf(const QString &command) const
{
    for (const auto &family : m_families) {
        if (family->commands().contains(command))
            return family.get();
    }
    return nullptr;
}

int Cli::run(const QStringList &args)
{
    // --json among the options (not in a command after "--"): failures answer in JSON too.
    m_console.setJson(args.mid(0, args.indexOf(QStringLiteral("--"))).contains(QStringLiteral("--json")));
    return m_console.finish(dispatch(args));
}

int Cli::dispatch(const QStringList &args)
{
    if (args.isEmpty())
        return m_console.usageError(QStringLiteral("missing command"));
    const QString &cmd = args.first();
    if (cmd == QLatin1String("--help") || cmd == QLatin1String("-h") || cmd == QLatin1String("help")) {
        m_console.print(usage());
        return Console::Success;
    }
    if (cmd == QLatin1String("--version") || cmd == QLatin1String("-V")) {
        m_console.print(QStringLiteral("strata %1\n").arg(QStringLiteral(STRATA_VERSION)));
        return Console::Success;
    }
    CommandFamily *family = familyOf(cmd);
    if (!family)
        return m_console.usageError(QStringLiteral("unknown command \"%1\"").arg(cmd));
    const QStringList rest = args.mid(1);
    if (rest.contains(QStringLiteral("--help"))) {
        const QString help = family->help(cmd);
        m_console.print(help.isEmpty() ? usage() : help);
        return Console::Success;
    }
    return family->run(cmd, rest);
}

} // namespace strata
