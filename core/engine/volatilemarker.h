// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/status.h"

#include <QString>

namespace strata
{

/// `work/incompat/volatile` in an overlay's work directory: the kernel makes it (with a `dirty`
/// file inside, every mode 0) when it mounts with `volatile`, and refuses every later mount of
/// that work directory, volatile or not, until someone removes it — a volatile mount skips the
/// syncs, so after it the upper layer may be inconsistent (fs/overlayfs/util.c
/// ovl_check_incompat, Documentation/filesystems/overlayfs.rst "Volatile mount").
class VolatileMarker final
{
public:
    /// WORK/work/incompat/volatile.
    [[nodiscard]] static QString path(const QString &work);
    [[nodiscard]] static bool exists(const QString &work);
    /// What the kernel's mount makes (the engine follows it).
    [[nodiscard]] static Status create(const QString &work);
    /// Removes work/incompat (made readable first: its directories are mode 0).
    [[nodiscard]] static Status remove(const QString &work);
    /// The kernel's words, and why.
    [[nodiscard]] static QString refusal(const QString &overlayName, const QString &shownWork);
};

} // namespace strata
