// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <string_view>

namespace strata
{

/// Where every `strata` command writes: results on stdout; warnings, notes and errors on
/// stderr, each line starting "strata: ". It also holds the one definition of the exit status.
/// Text goes out as a terminal may show it: control characters and bytes that are not UTF-8
/// as \xNN (printableText()), so a file name cannot move the cursor or retitle the window.
class Console final
{
public:
    /// The exit status of every command (docs/cli.md); `strata shell` passes its command's on.
    enum ExitCode : int {
        Success = 0,
        Failure = 1, ///< the operation failed: the message is on stderr
        Usage = 2, ///< bad usage
    };

    Console(QIODevice &out, QIODevice &err);

    /// The command line asked for --json: a command that fails before writing its result
    /// leaves {"error": MESSAGE, "exit_code": N} on stdout (finish()).
    void setJson(bool json) { m_json = json; }

    /// stdout, for streaming writers (strata tree) and for waiting until it is written.
    [[nodiscard]] QIODevice &out()
    {
        m_wroteOut = true;
        return m_out;
    }
    void print(const QString &text);
    /// print(text), and the command is done: returns Success.
    [[nodiscard]] int printed(const QString &text)
    {
        print(text);
        return Success;
    }
    /// Bytes as they are (JSON, file names that are not UTF-8).
    void write(std::string_view bytes);

    /// "strata: warning: TEXT" on stderr.
    void warn(const QString &text);
    void warn(const QStringList &texts);
    /// "strata: TEXT" on stderr: something the user should know that is not a warning.
    void note(const QString &text);
    /// "strata: MESSAGE" on stderr; returns Failure.
    [[nodiscard]] int failure(const QString &message);
    /// "strata: MESSAGE" and where to read more on stderr; returns Usage.
    [[nodiscard]] int usageError(const QString &message, const QString &help = QStringLiteral("strata --help"));
    /// The end of a command that exits with `exitCode`: with --json, a failure that wrote
    /// nothing on stdout writes the JSON error there. Returns `exitCode`.
    [[nodiscard]] int finish(int exitCode);

private:
    QIODevice &m_out;
    QIODevice &m_err;
    bool m_json = false;
    bool m_wroteOut = false;
    QString m_lastError; ///< the last failure or usage message, for the JSON error
};

} // namespace strata
