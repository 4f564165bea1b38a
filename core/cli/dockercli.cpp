// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercli.h"

namespace strata {

DockerCli::DockerCli(QIODevice &out, QIODevice &err)
    : m_out(out)
    , m_err(err)
{
}

int DockerCli::run(const QStringList &args)
{
    Q_UNUSED(args)
    m_err.write("strata: docker: not available yet\n");
    return 1;
}

} // namespace strata
