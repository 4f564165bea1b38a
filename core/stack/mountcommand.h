// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayspec.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// The equivalent mount(8) command of an overlay, for people to read and copy.
class MountCommand final
{
public:
    /// The -o option string: lowerdir=a:b::d,upperdir=u,workdir=w,<options>, with the kernel's
    /// escapes for ':' and ',' inside paths (data-only layers after "::").
    [[nodiscard]] static QString optionString(const OverlaySpec &spec);
    /// `mount -t overlay overlay -o ... MOUNTPOINT`, shell-quoted.
    [[nodiscard]] static QString shellCommand(const OverlaySpec &spec);
    /// `fuse-overlayfs -o lowerdir=...,upperdir=...,workdir=... MOUNTPOINT`, shell-quoted.
    [[nodiscard]] static QString fuseCommand(const OverlaySpec &spec);
    [[nodiscard]] static QString shellQuote(const QString &word);
    /// A layer path as the kernel's option parser wants it: '\\', ':' and ',' escaped.
    [[nodiscard]] static QString escapeLayerPath(QString path);
};

} // namespace strata
