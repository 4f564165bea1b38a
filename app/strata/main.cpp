// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/strata/cli.h"
#include "core/util/filelimit.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <unistd.h>

int main(int argc, char **argv)
{
    strata::raiseFileLimit();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("strata"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRATA_VERSION));
    QFile out;
    QFile err;
    // File descriptors, not FILE*: no stdio buffering between us and a pipe (events --follow).
    if (!out.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered)
        || !err.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return strata::Console::Failure;
    strata::Cli cli(out, err);
    return cli.run(QCoreApplication::arguments().mid(1));
}
