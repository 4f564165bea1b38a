// SPDX-License-Identifier: GPL-2.0-or-later
#include "privatemountns.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sched.h>
#include <sys/mount.h>

namespace strata::test
{

QString enterPrivateMountNamespace()
{
    if (::unshare(CLONE_NEWNS) != 0)
        return QStringLiteral("unshare(CLONE_NEWNS) failed: %1 (mount tests need root)")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    // Without this, mounts would still propagate back to the host's shared mounts.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return QStringLiteral("making / private failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    return {};
}

bool inCi()
{
    const char *ci = std::getenv("CI");
    return ci && (std::strcmp(ci, "true") == 0 || std::strcmp(ci, "1") == 0);
}

} // namespace strata::test
