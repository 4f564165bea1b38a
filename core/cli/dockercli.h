// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QIODevice>
#include <QStringList>

namespace strata {

/// `strata docker ...`: the read-only Docker host explorer on the command line.
class DockerCli final
{
public:
    DockerCli(QIODevice &out, QIODevice &err);
    /// `args` starts after "docker". Returns the exit code (0, 1 failure, 2 usage).
    [[nodiscard]] int run(const QStringList &args);

private:
    QIODevice &m_out;
    QIODevice &m_err;
};

} // namespace strata
