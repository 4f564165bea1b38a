// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>

namespace strata
{

/// The lock that serialises the changes to one overlay's layers: flock(2) on its work
/// directory, so that two processes (the window and `strata op`) or two sessions in one
/// process never edit the same layers at once. The engine holds it for each edit, and so does
/// a kernel session that mounts the overlay privately (the kernel empties work/work when it
/// mounts). The kernel itself never takes it. Released by the destructor, and by the kernel
/// when the process dies.
class OverlayLock final
{
public:
    /// Waits until the lock is ours; creates `workDir` when it does not exist yet.
    [[nodiscard]] static Result<OverlayLock> acquire(const QString &workDir);

    OverlayLock(OverlayLock &&other) noexcept;
    OverlayLock &operator=(OverlayLock &&other) noexcept;
    OverlayLock(const OverlayLock &) = delete;
    OverlayLock &operator=(const OverlayLock &) = delete;
    ~OverlayLock();

private:
    explicit OverlayLock(int fd) : m_fd(fd) { }

    int m_fd = -1;
};

} // namespace strata
