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

    /// stdout, for streaming writers (strata tree) and for waiting until it is written.
    [[nodiscard]] QIODevice &out() { return m_out; }
    void print(const QString &text);
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

private:
    QIODevice &m_out;
    QIODevice &m_err;
};

} // namespace strata
