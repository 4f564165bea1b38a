// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/mergedoperation.h"
#include "core/events/overlayevent.h"
#include "core/fs/entrytype.h"
#include "core/fs/overlayxattrs.h"
#include "core/merge/mergelayer.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <sys/stat.h>

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

    /// Performs one edit. A refused or failed edit gives the errno the kernel would return,
    /// in an Error whose message says what could not be done to which path, and why.
    [[nodiscard]] Status perform(const MergedOperation &op);
    /// perform(), reduced to the errno (0 when it worked): what the kernel says of an edit.
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

    // Edits, as perform() runs them.
    [[nodiscard]] Status write(const QByteArray &path, const QByteArray &data, bool append);
    [[nodiscard]] Status truncate(const QByteArray &path, qint64 size);
    [[nodiscard]] Status touch(const QByteArray &path);
    [[nodiscard]] Status mkdir(const QByteArray &path, mode_t mode = 0755);
    [[nodiscard]] Status unlink(const QByteArray &path);
    [[nodiscard]] Status rmdir(const QByteArray &path);
    [[nodiscard]] Status removeTree(const QByteArray &path);
    [[nodiscard]] Status rename(const QByteArray &from, const QByteArray &to);
    [[nodiscard]] Status chmod(const QByteArray &path, mode_t mode);
    [[nodiscard]] Status symlink(const QByteArray &target, const QByteArray &path);
    [[nodiscard]] Status link(const QByteArray &from, const QByteArray &to);
    [[nodiscard]] Status chown(const QByteArray &path, uid_t uid, gid_t gid);
    [[nodiscard]] Status utimes(const QByteArray &path, qint64 seconds);
    [[nodiscard]] Status setXattr(const QByteArray &path, const QByteArray &name, const QByteArray &value);
    [[nodiscard]] Status removeXattr(const QByteArray &path, const QByteArray &name);

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
        int error = 0; ///< ENOENT/ENOTDIR/ELOOP on the way, EPERM for a redirect not followed
        QByteArray where; ///< with an error: the merged path it is about
    };

    /// What an edit expects at its path: an entry, a free name, or either.
    enum class Presence : unsigned char { Existing, New, Either };
    /// An edit in words, for its errors: "remove /a/b", "rename /a to /b".
    using Action = QString;
    /// The first lower entry at a name: its layer, and whether it is a whiteout.
    struct LowerName {
        int layer = -1;
        bool whiteout = false;
    };

    [[nodiscard]] Node resolve(const QByteArray &path) const;
    /// resolve(), one name in upper: true when lookup stops there (whiteout, file, opaque).
    [[nodiscard]] bool resolveUpper(const Node &parent, const QByteArray &name, Node &next) const;
    /// resolve(), one name in the parent's lower layers, following redirects.
    void resolveLower(const Node &parent, const QByteArray &name, Node &next) const;
    /// The one opening check of the edits: `path` looked up in the merged view. A lookup that
    /// fails on the way, an entry missing (Existing) or there already (New) is an Error about
    /// `action`; for a free name the parent must be a directory that resolves.
    [[nodiscard]] Result<Node> lookup(const QByteArray &path, Presence presence, const Action &action) const;
    /// lookup() of an existing entry whose xattr `name` is set or removed (EPERM for user.*
    /// on what is neither a file nor a directory).
    [[nodiscard]] Result<Node> lookupForXattr(
        const QByteArray &path, const QByteArray &name, const Action &action) const;
    /// lookup() of an existing directory (ENOTDIR for anything else).
    [[nodiscard]] Result<Node> lookupDirectory(const QByteArray &path, const Action &action) const;
    /// The source of a two-path edit (rename, link): both parents first, then the source, in
    /// the VFS's order.
    [[nodiscard]] Result<Node> lookupSource(const QByteArray &from, const QByteArray &to, const Action &action) const;
    /// The parent directory of `path` resolves and is a directory (ENOENT, ENOTDIR, ELOOP).
    [[nodiscard]] Status parentDirectory(const QByteArray &path, const Action &action) const;
    /// `n` is a regular file that can be opened for writing (EISDIR, ELOOP, ENXIO).
    [[nodiscard]] static Status writableFile(const Node &n, const QByteArray &path, const Action &action);
    /// A lookup that failed at the merged path `where` (ENOENT, ENOTDIR, ELOOP, EPERM).
    [[nodiscard]] static Error lookupFailure(int code, const QByteArray &where, const Action &action);
    /// The errno the kernel gives for `action`, and why, in one sentence.
    [[nodiscard]] static Error failure(int code, const Action &action, const QString &why);
    /// The real path that provides an existing entry: its upper copy, else the lower one.
    [[nodiscard]] static QByteArray realPath(const Node &n);
    [[nodiscard]] std::optional<LowerName> firstLowerAt(const QByteArray &path) const;
    [[nodiscard]] bool lowerPositive(const QByteArray &path) const;
    [[nodiscard]] bool isMergeDir(const Node &n) const
    {
        return n.exists && n.type == EntryType::Directory && !n.upper.isEmpty() && !n.lowers.isEmpty();
    }
    [[nodiscard]] bool mergedEmpty(const QByteArray &path) const;
    [[nodiscard]] QByteArray absoluteRedirect(const QByteArray &path) const;
    [[nodiscard]] QByteArray upperPath(const QByteArray &path) const;
    [[nodiscard]] QByteArray tempName();

    using CreateFn = std::function<int(const QByteArray &real)>; ///< 0 or errno
    Status copyUp(const QByteArray &path);
    Status copyUpOne(const QByteArray &path, const Node &n);
    /// Makes `tmp` a copy of the lower entry `src` (data, link target or device): 0 or errno.
    static int copyEntry(const QByteArray &src, const struct stat &st, const QByteArray &tmp);
    /// Creates a new entry in upper (over a whiteout when there is one), parents copied up.
    Status placeNew(const QByteArray &path, const CreateFn &create, bool isDir);
    Status placeOverWhiteout(const QByteArray &path, const CreateFn &create, bool isDir, const Action &action);
    Status makeWhiteout(const QByteArray &path);
    /// Removes what an upper directory still holds (whiteouts), below it.
    static void clearUpperDir(const QByteArray &upperDir);
    Status setOpaque(const QByteArray &realPath, const QByteArray &path);
    Status setRedirect(const QByteArray &realPath, const QByteArray &path, const QByteArray &value);
    /// The result of writing the overlay xattr `key` on `realPath`: `err` (errno) becomes `code`.
    [[nodiscard]] Status marked(
        int err, int code, const Action &action, const char *key, const QByteArray &realPath) const;
    /// rename(): the checks of the VFS, then of overlayfs, in their order; false when there
    /// is nothing to move (the same name, or two links of one inode).
    [[nodiscard]] Result<bool> checkRename(
        const QByteArray &from, const QByteArray &to, const Node &src, const Node &dst, const Action &action) const;
    /// rename(): copy-ups, the redirect or opaque mark a moved directory needs, the move.
    Status moveInUpper(const QByteArray &from, const QByteArray &to, const Node &dst, const Action &action);
    /// Copies `path` up and applies `change` to the upper copy; a non-empty `explanation`
    /// ("%1" the path, "%2" the upper layer) is reported as a modification.
    Status changeInUpper(
        const QByteArray &path, const Action &action, const QString &explanation, const CreateFn &change);
    void removed(const QByteArray &path);
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
