// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>

namespace strata
{

/// The `strata` command line (contract in docs/cli.md). Exit codes: 0 success, 1 the
/// operation failed (message on stderr), 2 bad usage.
class Cli final
{
public:
    enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

    Cli(QIODevice &out, QIODevice &err);
    /// `args` excludes the program name.
    [[nodiscard]] int run(const QStringList &args);

    [[nodiscard]] static QString usage();

private:
    int cmdScenario(const QStringList &args);
    int cmdTree(const QStringList &args);

    int usageError(const QString &message);
    int failure(const QString &message);
    void print(const QString &text);

    QIODevice &m_out;
    QIODevice &m_err;
};

} // namespace strata
