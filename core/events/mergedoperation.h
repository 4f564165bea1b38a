// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QList>

#include <QString>
#include <QStringList>

namespace strata
{

/// One edit in a merged view, as `strata op` takes it: a verb and its arguments (DESIGN.md):
/// write PATH TEXT, append PATH TEXT, touch PATH, truncate PATH N, mkdir PATH, rm PATH,
/// rmdir PATH, rm-r PATH, mv SRC DST, chmod MODE PATH, ln-s TARGET PATH, ln SRC DST,
/// chown UID:GID PATH, utimes SECONDS PATH, setxattr NAME VALUE PATH, rmxattr NAME PATH.
/// Paths are merged-view paths ("/base_image/x"), kept as the bytes they name: a QString
/// argument is read with encodeFileName() (core/util/filename.h), so a name that is not UTF-8
/// reaches the file system exactly. Text arguments (TEXT, NAME, VALUE) stay as they are.
/// Numbers are whole and in range, or the edit is refused. It performs plain system calls, so
/// the kernel (or whatever is mounted) decides, and reports the errno it got.
class MergedOperation final
{
public:
    [[nodiscard]] static Result<MergedOperation> parse(const QStringList &args);
    /// One edit written as one line, as `stratascope --edit` takes it: words split the way a
    /// shell splits them (quotes, backslashes), and for write and append every word after the
    /// path is the text, so `write /a/b some text` writes "some text".
    [[nodiscard]] static Result<MergedOperation> parseLine(const QString &line);
    [[nodiscard]] static QStringList verbs();

    /// Runs it under `mergedRoot`; returns 0 or the errno of the failing call. Paths are
    /// resolved below the root without following symlinks (ELOOP), and files are never
    /// written or chmod'ed through a symlink: an edit cannot leave the merged view.
    [[nodiscard]] int apply(const QString &mergedRoot) const;
    [[nodiscard]] int applyAt(int mergedRootFd) const;
    /// The shell equivalent, with paths shown under `mountName` (e.g. "overlay_layer").
    [[nodiscard]] QString shellCommand(const QString &mountName) const;
    [[nodiscard]] const QString &verb() const { return m_verb; }
    [[nodiscard]] const QStringList &args() const { return m_args; }
    /// The path arguments as bytes, in order: PATH; SRC DST (mv, ln); TARGET PATH (ln-s).
    [[nodiscard]] const QList<QByteArray> &paths() const { return m_paths; }
    /// The merged path the edit is about: PATH (for ln-s too), SRC for mv and ln.
    [[nodiscard]] const QByteArray &path() const;
    /// The numeric argument (truncate's N, utimes' SECONDS, chmod's MODE), checked by parse().
    [[nodiscard]] qint64 number() const { return m_number; }
    /// chown's UID and GID, checked by parse().
    [[nodiscard]] uint uid() const { return m_uid; }
    [[nodiscard]] uint gid() const { return m_gid; }

    /// Plain words for an errno from an edit in an overlay (EXDEV on a directory rename, ...).
    /// `hasUpper`: whether the overlay has an upper layer (EROFS means something else then).
    [[nodiscard]] static QString explainError(const QString &verb, int error, bool hasUpper);

private:
    /// Checks and keeps the numbers of truncate, utimes, chmod and chown.
    [[nodiscard]] Status parseNumbers();

    QString m_verb;
    QStringList m_args;
    QList<QByteArray> m_paths;
    qint64 m_number = 0;
    uint m_uid = 0;
    uint m_gid = 0;
};

} // namespace strata
