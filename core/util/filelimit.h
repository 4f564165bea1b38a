// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

namespace strata
{

/// Raises this process's soft limit of open files to the hard one. Deep trees over many
/// layers keep a descriptor per layer per level open, per thread; the mains (and test mains)
/// call this first. The core never changes the limit on its own.
void raiseFileLimit();

} // namespace strata
