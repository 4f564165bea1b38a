// SPDX-License-Identifier: GPL-2.0-or-later
#include "subcommandfamily.h"

#include <utility>

namespace strata
{

SubcommandFamily::SubcommandFamily(Console &console, QString word, QString synopsis, QString usage)
    : m_console(console), m_word(std::move(word)), m_synopsis(std::move(synopsis)), m_usage(std::move(usage))
{
}

int SubcommandFamily::usageError(const QString &message)
{
    return m_console.usageError(message, QStringLiteral("strata %1 --help").arg(m_word));
}

std::optional<int> SubcommandFamily::opening(const QStringList &args, const QString &known)
{
    if (args.isEmpty())
        return usageError(QStringLiteral("%1: missing command (%2)").arg(m_word, known));
    if (args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        m_console.print(m_usage);
        return Console::Success;
    }
    return std::nullopt;
}

} // namespace strata
