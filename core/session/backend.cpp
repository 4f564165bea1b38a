// SPDX-License-Identifier: GPL-2.0-or-later
#include "backend.h"

namespace strata
{

QString backendName(Backend backend)
{
    switch (backend) {
    case Backend::Auto:
        return QStringLiteral("auto");
    case Backend::Engine:
        return QStringLiteral("engine");
    case Backend::Kernel:
        return QStringLiteral("kernel");
    case Backend::Userns:
        return QStringLiteral("userns");
    case Backend::Fuse:
        return QStringLiteral("fuse");
    }
    return QStringLiteral("auto");
}

std::optional<Backend> parseBackend(const QString &name)
{
    for (Backend b : AllBackends) {
        if (backendName(b) == name)
            return b;
    }
    return std::nullopt;
}

bool isMountBackend(Backend backend)
{
    switch (backend) {
    case Backend::Kernel:
    case Backend::Userns:
    case Backend::Fuse:
        return true;
    case Backend::Auto:
    case Backend::Engine:
        break;
    }
    return false;
}

} // namespace strata
