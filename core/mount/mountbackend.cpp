// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountbackend.h"

namespace strata
{

QString backendName(MountBackend backend)
{
    switch (backend) {
    case MountBackend::Auto:
        return QStringLiteral("auto");
    case MountBackend::Kernel:
        return QStringLiteral("kernel");
    case MountBackend::Userns:
        return QStringLiteral("userns");
    case MountBackend::Fuse:
        return QStringLiteral("fuse");
    }
    return QStringLiteral("auto");
}

std::optional<MountBackend> parseBackend(const QString &name)
{
    for (MountBackend b : {MountBackend::Auto, MountBackend::Kernel, MountBackend::Userns, MountBackend::Fuse}) {
        if (backendName(b) == name)
            return b;
    }
    return std::nullopt;
}

} // namespace strata
