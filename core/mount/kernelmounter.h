// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/status.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// Mounts one overlay with the new mount API (fsopen, one fsconfig "lowerdir+" per layer and
/// "datadir+" per data-only layer,
/// FSCONFIG_CMD_CREATE, fsmount, move_mount), so long lower lists never meet the one-page
/// limit of mount(2). Failures come back with the kernel's own words, from the fs-context fd
/// and, where the kernel only logs them, from /dev/kmsg, plus an explanation in plain words.
class KernelMounter final
{
public:
    struct Request {
        QStringList lowers; ///< top first
        QStringList dataLowers; ///< data-only layers (datadir+, or "::" in lowerdir=), after the lowers
        QString upper; ///< empty: read-only overlay
        QString work;
        QString target;
        QStringList options; ///< kernel syntax: "redirect_dir=on", "userxattr", ...
        /// lowerdir=a:b::d, upperdir=, workdir= as a mount(8) -o string wants them (paths escaped).
        [[nodiscard]] QStringList layerOptions() const;
    };
    struct Outcome {
        bool ok = false;
        int error = 0; ///< errno of the failing step
        QString step; ///< "fsopen", "fsconfig lowerdir+ /x", "create", "fsmount", "move_mount"
        QStringList messages; ///< the kernel's words: fs-context messages, then kernel log lines
        QStringList warnings; ///< the kernel's warnings on a mount that worked
        QString explanation; ///< plain words, for failures and warnings
        QString source = QStringLiteral("kernel"); ///< who said the messages: "kernel", "fuse-overlayfs"
        /// One paragraph for people: what failed, the kernel's message, the explanation.
        [[nodiscard]] QString describe(const QString &target) const;
    };

    [[nodiscard]] static Outcome mount(const Request &request);
    [[nodiscard]] static Status unmount(const QString &target);
    /// Plain-words explanation of a kernel refusal or warning; empty if nothing is known.
    [[nodiscard]] static QString explain(int error, const QStringList &messages);
};

} // namespace strata
