// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/backend.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace strata
{

/// What `stratascope` was asked to do on its command line: what to open, and the scripted
/// steps behind --edit / --replay / --screenshot / --quit.
struct Script {
    QString workspace; ///< a workspace file or directory
    QString lesson; ///< --lesson: a scenario or a lesson
    QString replay; ///< --replay LESSON: played to its end
    bool images = false; ///< --images: the Images & Containers panel (--docker too)
    bool docker = false;
    QString dockerRoot;
    QString dockerOpen;
    QStringList edits; ///< --edit, one line each (MergedOperation::parseLine)
    QString select;
    QString screenshot;
    std::optional<int> screenshotDelayMs;
    bool quit = false;
    bool mergedOnly = false; ///< --merged-only: the merged view's tab, not the layer columns
    bool presentation = false;
    bool dark = false; ///< --dark: Fusion with a dark palette
    /// --to-step N: with --lesson, play steps 1..N-1 without animations, step N at normal
    /// speed, then --screenshot once it is over (or, with --mid, half-way through its animation).
    std::optional<int> toStep;
    bool mid = false; ///< --mid: the shot of --to-step in the middle phase of the step's animation
    bool toStepEdits = false; ///< step N makes an edit: captions and an animation will come
    Backend backend = Backend::Auto;

    /// Parses the command line (exits with --help / --version); an error says what is wrong.
    [[nodiscard]] static Result<Script> fromArguments(const QStringList &arguments);
    /// Whether the script waits for the merged view before its steps.
    [[nodiscard]] bool waitsForTree() const;
};

} // namespace strata
