// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>

namespace strata
{

/// Where the copies of built-in lessons and scenarios live when nobody chose a folder: one
/// per-user folder (~/.cache/stratascope/lessons), each copy a subfolder named after its
/// lesson. Older copies are cleaned when a new one is made; none of them is "recent".
class LessonFolder final
{
public:
    /// How many copies are kept besides the new one.
    static constexpr int kept = 4;

    [[nodiscard]] static QString root();
    /// A new empty folder for a copy of `name` (the oldest copies beyond `kept` removed first,
    /// unless something is mounted in them).
    [[nodiscard]] static Result<QString> newCopy(const QString &name);
    /// Whether `path` is inside the lesson folder, or one of the temporary
    /// "stratascope-NAME-XXXXXX" folders earlier versions made.
    [[nodiscard]] static bool contains(const QString &path);
    /// Removes the oldest copies so that at most `keep` remain; returns how many went.
    static int cleanUp(int keep);
};

} // namespace strata
