// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// What a directory is to an overlay: one of its lower layers, its upper layer, its work
/// directory, or the merged view itself. The one role enum of the core, the columns and the
/// stack diagram.
enum class LayerRole : unsigned char { Lower, Upper, Work, Merged };

/// "lower", "upper", "work", "merged".
[[nodiscard]] inline QString roleName(LayerRole role)
{
    switch (role) {
    case LayerRole::Lower:
        return QStringLiteral("lower");
    case LayerRole::Upper:
        return QStringLiteral("upper");
    case LayerRole::Work:
        return QStringLiteral("work");
    case LayerRole::Merged:
        return QStringLiteral("merged");
    }
    return QStringLiteral("lower");
}

} // namespace strata
