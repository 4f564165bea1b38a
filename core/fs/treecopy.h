// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/scancontrol.h"
#include "core/util/status.h"

#include <QByteArray>

namespace strata
{

/// Copies a directory tree exactly enough to put a layer back as it was: every entry type
/// (whiteouts are 0/0 character devices, which Linux >= 5.8 lets anyone create), modes,
/// owners (kept when permitted), times, hard links and every extended attribute, overlay
/// ones included. Names are bytes. Symbolic links are copied, never followed.
class TreeCopy final
{
public:
    /// Copies the contents of `from` into `to`, which must exist and be empty.
    [[nodiscard]] static Status copyContents(
        const QByteArray &from, const QByteArray &to, ScanControl *control = nullptr);
    /// Removes everything inside `dir` (the directory itself stays), opening directories the
    /// owner closed (mode 000) on the way.
    [[nodiscard]] static Status clearContents(const QByteArray &dir);
};

} // namespace strata
