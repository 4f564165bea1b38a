// SPDX-License-Identifier: GPL-2.0-or-later
#include "backend.h"

#include "core/util/enumwords.h"

namespace strata
{

namespace
{
constexpr std::array<const char *, 5> Names {"auto", "engine", "kernel", "userns", "fuse"}; // in enum order
} // namespace

QString backendName(Backend backend)
{
    return wordOf(Names, backend, "auto");
}

std::optional<Backend> parseBackend(const QString &name)
{
    return valueOf<Backend>(Names, name);
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
