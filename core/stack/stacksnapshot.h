// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/workspace.h"
#include "core/util/result.h"
#include "core/util/scancontrol.h"
#include "core/util/status.h"

#include <QString>

namespace strata
{

/// The state of a workspace's overlays at one moment: a copy of every upper layer (the lower
/// layers are never written, and work holds nothing between edits). A lesson keeps one per
/// step, so going back a step puts the uppers back as they were instead of replaying the
/// lesson from the start. Restore only what is not mounted: the kernel does not allow an upper
/// layer to change under a mounted overlay.
class StackSnapshot final
{
public:
    /// Copies the uppers of `workspace` into `dir` (created; must not exist yet).
    [[nodiscard]] static Result<StackSnapshot> take(
        const Workspace &workspace, const QString &dir, ScanControl *control = nullptr);

    /// Puts every upper back as it was when the snapshot was taken.
    [[nodiscard]] Status restore(const Workspace &workspace, ScanControl *control = nullptr) const;
    [[nodiscard]] const QString &directory() const { return m_dir; }

private:
    explicit StackSnapshot(QString dir) : m_dir(std::move(dir)) { }
    [[nodiscard]] QString copyOf(int overlay) const;

    QString m_dir;
};

} // namespace strata
