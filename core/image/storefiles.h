// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeproblem.h"
#include "core/util/error.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

struct stat;

namespace strata
{

/// Small read-only file-system helpers every store reader needs, with failures collected as
/// StoreProblems instead of stopping the read.
class StoreFiles final
{
public:
    /// The names in a directory, sorted, without "." and "..". A directory that cannot be
    /// listed is a problem (a missing one only when `reportMissing`).
    [[nodiscard]] static QStringList list(const QString &path, StoreProblems &problems, bool reportMissing = true);
    /// 0 when the path is there (any type, no link followed), else errno.
    [[nodiscard]] static int lstatError(const QString &path, struct stat *st = nullptr);
    [[nodiscard]] static bool isDirectory(const QString &path);
    /// Lowercase hex digits only (and at least one).
    [[nodiscard]] static bool isHex(const QString &s);
    [[nodiscard]] static bool isHex64(const QString &s) { return s.size() == 64 && isHex(s); }
    /// A directory name read from a metadata file: it must stay one component below its
    /// parent, whatever a corrupt or hostile copy says.
    [[nodiscard]] static bool isSafeName(const QString &s);
    /// RFC 3339 as Go writes it (up to nine fraction digits).
    [[nodiscard]] static QDateTime parseTime(const QString &s);
    /// An error whose message already names the file, as a problem.
    static void report(StoreProblems &problems, const Error &error);
};

} // namespace strata
