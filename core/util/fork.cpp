// SPDX-License-Identifier: GPL-2.0-or-later
#include "fork.h"

#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_ASAN 1
#endif

#ifdef STRATA_ASAN
// The runtime's own locks, as LLVM 17's fork handler takes them (asan_posix.cpp). Weak: a
// runtime without them (GCC's shared libasan hides them) forks as before.
namespace __asan
{
[[gnu::weak]] void asan_mz_force_lock();
[[gnu::weak]] void asan_mz_force_unlock();
} // namespace __asan
namespace __sanitizer
{
[[gnu::weak]] void StackDepotLockAll();
[[gnu::weak]] void StackDepotUnlockAll();
} // namespace __sanitizer
#endif

namespace strata
{

pid_t forkProcess()
{
#ifdef STRATA_ASAN
    const bool depot = __sanitizer::StackDepotLockAll && __sanitizer::StackDepotUnlockAll;
    const bool allocator = __asan::asan_mz_force_lock && __asan::asan_mz_force_unlock;
    if (allocator)
        __asan::asan_mz_force_lock();
    if (depot)
        __sanitizer::StackDepotLockAll();
    const pid_t pid = ::fork();
    if (depot)
        __sanitizer::StackDepotUnlockAll();
    if (allocator)
        __asan::asan_mz_force_unlock();
    return pid;
#else
    return ::fork();
#endif
}

} // namespace strata
