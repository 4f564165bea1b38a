// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <optional>

#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// One line of /proc/self/mountinfo, unescaped, with an overlay's options decoded. Paths are
/// file names as decodeFileName() makes them (core/util/filename.h): bytes are kept.
class MountInfo final
{
public:
    struct Entry {
        int id = 0;
        int parentId = 0;
        QString mountPoint;
        QString fsType;
        QString source;
        QString mountOptions;
        QString superOptions;

        // Overlay only, from the super options; lower layers top first.
        QStringList lowerDirs;
        QStringList dataDirs;
        QString upperDir;
        QString workDir;
        QStringList otherOptions; ///< everything else, e.g. "redirect_dir=on", "userxattr"

        [[nodiscard]] bool isOverlay() const { return fsType == QLatin1String("overlay"); }
        [[nodiscard]] bool isFuseOverlay() const { return fsType == QLatin1String("fuse.fuse-overlayfs"); }
        /// An overlay made by any backend (kernel or fuse-overlayfs).
        [[nodiscard]] bool isAnyOverlay() const { return isOverlay() || isFuseOverlay(); }
    };

    /// Reads and parses a mountinfo file (default: this process's).
    [[nodiscard]] static Result<QList<Entry>> read(const QString &path = QStringLiteral("/proc/self/mountinfo"));
    [[nodiscard]] static QList<Entry> parse(const QByteArray &text);
    /// The topmost mount at exactly `mountPoint`, if any.
    [[nodiscard]] static std::optional<Entry> find(const QList<Entry> &entries, const QString &mountPoint);
    /// The overlay (kernel or fuse-overlayfs) mounted at `mountPoint` in this namespace, if any.
    [[nodiscard]] static std::optional<Entry> overlayAt(const QString &mountPoint);

    /// Undoes the kernel's octal escapes (\040 for a space, \134 for a backslash ...).
    [[nodiscard]] static QString unescape(const QByteArray &field);
    /// Decodes an overlay's super options as mountinfo shows them (`rawSuperOptions`, octal
    /// escapes still in): lowerdir (':' separated, "\:" "\," "\\" escaped; "::" starts
    /// data-only layers), lowerdir+/datadir+ (one per entry, as they are), upperdir, workdir.
    static void decodeOverlayOptions(Entry &entry, const QByteArray &rawSuperOptions);
};

} // namespace strata
