// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/enumwords.h"

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
    static constexpr std::array<const char *, 4> Words {"lower", "upper", "work", "merged"};
    return wordOf(Words, role, "lower");
}

} // namespace strata
