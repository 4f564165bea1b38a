// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace strata::test
{

/// What a program printed and how it ended (exit code -1: it crashed or was killed).
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs `program` to its end (killed after `timeoutMs`), for the tests that drive daemons' CLIs.
inline Run run(const QString &program, const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return Run {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        p.readAllStandardOutput(),
        p.readAllStandardError()};
}

} // namespace strata::test
