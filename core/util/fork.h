// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <sys/types.h>

namespace strata
{

/// fork(2) for a child that goes on running our code (it does not exec at once) in a process
/// with other threads. glibc makes its malloc consistent in the child; AddressSanitizer before
/// LLVM 17 does not, so a child forked while another thread held an allocator lock waited for
/// it forever. Under ASan this holds those locks across the fork; elsewhere it is fork().
[[nodiscard]] pid_t forkProcess();

} // namespace strata
