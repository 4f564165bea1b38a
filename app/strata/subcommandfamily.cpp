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

} // namespace strata
