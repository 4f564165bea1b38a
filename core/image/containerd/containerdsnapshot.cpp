// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdsnapshot.h"

#include "core/util/enumwords.h"

#include <array>

namespace strata
{

QString ContainerdSnapshot::kindName() const
{
    static constexpr std::array<const char *, 5> Words {"unknown", "view", "active", "committed", "snapshot"};
    return wordOf(Words, kind);
}

} // namespace strata
