// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/mergedoperation.h"
#include "core/events/overlayevent.h"
#include "core/fs/entrytype.h"
#include "core/fs/overlayxattrs.h"
#include "core/merge/mergelayer.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace strata
{

/// Overlay semantics performed in user space on plain directories: no mount, no privilege.
/// Each edit of the merged view is carried out the way the kernel does it (fs/overlayfs/
/// dir.c, copy_up.c) — parents copied up first, copy-up staged in work/work and renamed into
/// upper, whiteouts as character devices 0/0, opaque directories exactly when the kernel sets
/// them, EXDEV for directory renames without redirect_dir=on — and every step is reported.
/// Lower layers are only ever read.
class OverlayEngine final
{
public:
    struct Config {
        QStringList lowers; ///< top first
        QStringList lowerNames; ///< display names, same order
        QString upper;
        QString work;
        QString upperName;
        QString workName;
        XattrNamespace xattrs = XattrNamespace::Trusted;
        bool redirectDir = false; ///< redirect_dir=on: rename merged directories with a redirect
        bool followRedirects = true;
        /// False when index, metacopy, redirect_dir=on or xino=on is in effect: then new
        /// directories in merged parents are made opaque (ovl_allow_offline_changes()).
        bool allowOfflineChanges = true;
    };
    using StepFn = std::function<void(const OverlayEvent &)>;

    explicit OverlayEngine(Config config);

    /// Every step as it happens (work_temp, copy_up, whiteout, ...).
    void setStepCallback(StepFn fn) { m_step = std::move(fn); }

    /// Performs one edit; returns 0 or the errno the kernel would return.
    [[nodiscard]] int apply(const MergedOperation &op);

    // The merged namespace, read-only.
    struct Stat {
        EntryType type = EntryType::Unknown;
        std::uint32_t mode = 0;
        qint64 size = 0;
    };
    [[nodiscard]] Result<QByteArray> read(const QByteArray &path) const;
    [[nodiscard]] Result<QList<QByteArray>> list(const QByteArray &path) const;
    [[nodiscard]] Result<Stat> stat(const QByteArray &path) const;

    // Edits; each returns 0 or an errno.
    int write(const QByteArray &path, const QByteArray &data, bool append);
    int truncate(const QByteArray &path, qint64 size);
    int touch(const QByteArray &path);
    int mkdir(const QByteArray &path, mode_t mode = 0755);
    int unlink(const QByteArray &path);
    int rmdir(const QByteArray &path);
    int removeTree(const QByteArray &path);
    int rename(const QByteArray &from, const QByteArray &to);
    int chmod(const QByteArray &path, mode_t mode);
    int symlink(const QByteArray &target, const QByteArray &path);
    int link(const QByteArray &from, const QByteArray &to);
    int chown(const QByteArray &path, uid_t uid, gid_t gid);
    int utimes(const QByteArray &path, qint64 seconds);
    int setXattr(const QByteArray &path, const QByteArray &name, const QByteArray &value);
    int removeXattr(const QByteArray &path, const QByteArray &name);

private:
    struct LowerHit {
        int layer = -1;
        QByteArray path; ///< absolute real path
        EntryType type = EntryType::Unknown;
    };
    struct Node {
        bool exists = false;
        EntryType type = EntryType::Unknown;
        QByteArray upper; ///< real path in upper when the name is there (and not a whiteout)
        bool upperWhiteout = false; ///< the upper layer has a whiteout at this name
        bool parentInUpper = false;
        bool opaque = false;
        QByteArray redirect;
        QList<LowerHit> lowers; ///< directories: the merge stack below upper; files: the provider
        int error = 0; ///< ENOENT/ENOTDIR on the way, EPERM/EINVAL for bad redirects
    };

    [[nodiscard]] Node resolve(const QByteArray &path) const;
    [[nodiscard]] bool lowerPositive(const QByteArray &path) const;
    [[nodiscard]] bool isMergeDir(const Node &n) const
    {
        return n.exists && n.type == EntryType::Directory && !n.upper.isEmpty() && !n.lowers.isEmpty();
    }
    [[nodiscard]] bool mergedEmpty(const QByteArray &path) const;
    /// 0, or the errno of resolving the parent directory of `path` (ENOENT, ENOTDIR, ELOOP).
    [[nodiscard]] int checkParent(const QByteArray &path) const;
    [[nodiscard]] QByteArray absoluteRedirect(const QByteArray &path) const;
    [[nodiscard]] QByteArray upperPath(const QByteArray &path) const;
    [[nodiscard]] QByteArray tempName();

    int copyUp(const QByteArray &path);
    int copyUpOne(const QByteArray &path, const Node &n);
    int placeNew(const QByteArray &path, const std::function<int(const QByteArray &tmpOrFinal)> &create, bool isDir);
    int makeWhiteout(const QByteArray &path);
    int clearUpperDir(const QByteArray &upperDir);
    int setOpaque(const QByteArray &realPath);
    int setRedirect(const QByteArray &realPath, const QByteArray &value);
    void step(OverlayEvent::Kind kind,
        const QByteArray &path,
        const QString &from,
        const QString &explanation,
        const QByteArray &fromPath = {});

    Config m_config;
    QByteArray m_upper;
    QByteArray m_workTmp; // work/work
    QList<QByteArray> m_lowers;
    StepFn m_step;
    quint64 m_counter = 0;
};

} // namespace strata
