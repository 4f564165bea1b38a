// SPDX-License-Identifier: GPL-2.0-or-later
#include "console.h"

namespace strata
{

Console::Console(QIODevice &out, QIODevice &err) : m_out(out), m_err(err)
{
}

void Console::print(const QString &text)
{
    m_out.write(text.toUtf8());
}

void Console::write(std::string_view bytes)
{
    m_out.write(bytes.data(), static_cast<qint64>(bytes.size()));
}

void Console::warn(const QString &text)
{
    note(QStringLiteral("warning: ") + text);
}

void Console::warn(const QStringList &texts)
{
    for (const QString &t : texts)
        warn(t);
}

void Console::note(const QString &text)
{
    m_err.write(QStringLiteral("strata: %1\n").arg(text).toUtf8());
}

int Console::failure(const QString &message)
{
    note(message);
    return Failure;
}

int Console::usageError(const QString &message, const QString &help)
{
    m_err.write(QStringLiteral("strata: %1\nTry '%2'.\n").arg(message, help).toUtf8());
    return Usage;
}

} // namespace strata
