// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/strata/cli.h"
#include "core/util/filelimit.h"
#include "core/util/filename.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <unistd.h>

int main(int argc, char **argv)
{
    strata::raiseFileLimit();
    // argv as bytes (QCoreApplication::arguments() turns what is not UTF-8 into U+FFFD): a
    // path argument names exactly the file the user typed.
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << strata::decodeFileName(argv[i]);
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
    return cli.run(args);
}
