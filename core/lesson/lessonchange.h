// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/lesson/lesson.h"
#include "core/stack/workspace.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QJsonObject>

namespace strata
{

/// What a lesson step does to its workspace besides an edit: an overlay stacked on an earlier
/// one, or other mount options. Each writes the workspace file, so the CLI and the kernel
/// backend see what the window shows; the player keeps the workspace from before, and
/// restore() puts it back.
class LessonChange final
{
public:
    /// `workspace` with `options` (workspace-file keys) set on overlay `overlay`, or on every
    /// overlay when it is -1.
    [[nodiscard]] static Result<Workspace> withOptions(
        const Workspace &workspace, int overlay, const QJsonObject &options);
    /// `workspace` with `stack`'s overlay on top: its upper, work and mountpoint directories
    /// created empty in the workspace folder (one that an overlay uses already, a shared work
    /// directory, is kept as it is), its options those of the overlay it stands on.
    [[nodiscard]] static Result<Workspace> withStack(const Workspace &workspace, const Lesson::Stack &stack);
    /// What `step` does before its edit (the stack, then the options on the step's overlay,
    /// or the one shown, `shown`): the workspace after it.
    [[nodiscard]] static Result<Workspace> apply(const Workspace &workspace, const Lesson::Step &step, int shown);
    /// Puts `before` back in place of `now`: the directories of overlays `now` added are
    /// removed (not those an overlay of `before` uses too), and `before` is written to its
    /// file. Nothing of it may be mounted.
    [[nodiscard]] static Status restore(const Workspace &now, const Workspace &before);
};

} // namespace strata
