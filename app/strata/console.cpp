// SPDX-License-Identifier: GPL-2.0-or-later
#include "console.h"

#include "core/util/filename.h"
#include "core/util/jsonwriter.h"

namespace strata
{

Console::Console(QIODevice &out, QIODevice &err) : m_out(out), m_err(err)
{
}

void Console::print(const QString &text)
{
    m_wroteOut = true;
    m_out.write(printableText(text, true).toUtf8());
}

void Console::write(std::string_view bytes)
{
    m_wroteOut = true;
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
    m_err.write(QStringLiteral("strata: %1\n").arg(printableText(text, true)).toUtf8());
}

int Console::failure(const QString &message)
{
    note(message);
    m_lastError = message;
    return Failure;
}

int Console::usageError(const QString &message, const QString &help)
{
    m_err.write(QStringLiteral("strata: %1\nTry '%2'.\n").arg(printableText(message, true), help).toUtf8());
    m_lastError = message;
    return Usage;
}

int Console::finish(int exitCode)
{
    if (!m_json || exitCode == Success || m_wroteOut)
        return exitCode;
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Indented);
    w.beginObject().field("error", m_lastError.isEmpty() ? QStringLiteral("failed") : m_lastError);
    w.field("exit_code", exitCode).endObject();
    write(out + '\n');
    return exitCode;
}

} // namespace strata
