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
/// them, EXDEV for directory renames without redirect_dir=on, metadata-only copy-up with
/// metacopy=on — and every step is reported.
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
        /// metacopy=on: a metadata-only change (chmod, chown, utimes, xattrs, and the copy-up
        /// of a rename or link) copies up a lower file without its data, marked
        /// overlay.metacopy; the data follows on the first write or truncate.
        bool metacopy = false;
        /// Data-only lower layers (lowerdir=a::d, datadir+), after `lowers`: never looked up by
        /// name; a metacopy file with an absolute overlay.redirect takes its data from the first
        /// that has a regular file there. Without metacopy=on only the last regular layer's
        /// metacopy files may do so; any other metacopy file is refused (EPERM), as the kernel does.
        QStringList dataLowers;
        QStringList dataLowerNames; ///< display names, same order
    };
    using StepFn = std::function<void(const OverlayEvent &)>;

    explicit OverlayEngine(Config config);

    /// Every step as it happens (work_temp, copy_up, whiteout, ...).
    void setStepCallback(StepFn fn) { m_step = std::move(fn); }

    /// Performs one edit, holding the overlay's lock (OverlayLock) and first removing what an
    /// edit that was killed left in work/work. A refused or failed edit gives the errno the
    /// kernel would return, in an Error whose message says what could not be done to which
    /// path, and why. Every change reaches upper in one step (a rename in from work/work, an
    /// exchange, a whiteout with a rename), so that a crash leaves the old state or the new one
    /// — except overwriting a file already in upper, which is as atomic as the kernel's.
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
    /// An extended attribute as the merged view shows it ("trusted.overlay.x" is the layer's
    /// escaped "trusted.overlay.overlay.x"), and the names it lists (the overlay's own hidden).
    [[nodiscard]] Result<QByteArray> xattr(const QByteArray &path, const QByteArray &name) const;
    [[nodiscard]] Result<QList<QByteArray>> xattrNames(const QByteArray &path) const;

    /// How the engine's temporaries in work/work begin ("#strata-<pid>-<n>").
    static constexpr const char *TempPrefix = "#strata-";

private:
    // The edits perform() runs, under its lock.
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
        QByteArray redirect; ///< directories, and metacopy files
        bool metacopy = false; ///< an upper file with overlay.metacopy: its data is `lowers`' first
        /// A lower metacopy file's data (layer -1: none): a layer below, or a data-only layer
        /// (layer >= the regular lowers' count).
        LowerHit data;
        int dataError = 0; ///< ENOENT: the data-only layers lack its data (its opening and copy-up fail)
        bool metacopyRefused = false; ///< with error EPERM: a lower metacopy file without metacopy=on
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

    /// perform() once the lock is held: the edit of `op`.
    [[nodiscard]] Status dispatch(const MergedOperation &op);
    /// Removes the engine's temporaries left in work/work (under the lock, all are stale).
    void removeStaleTemps() const;
    /// Removes an entry and everything below it.
    static void removeAll(const QByteArray &path);

    [[nodiscard]] Node resolve(const QByteArray &path) const;
    /// resolve(), one name in upper: true when lookup stops there (whiteout, file, opaque).
    [[nodiscard]] bool resolveUpper(const Node &parent, const QByteArray &name, Node &next) const;
    /// resolve(), one name in the parent's lower layers, following redirects.
    void resolveLower(const Node &parent, const QByteArray &name, Node &next) const;
    /// Whether the lower file `real` is a metacopy file that lookup treats as one (metacopy=on,
    /// or data-only layers); its overlay.redirect into `redirect`.
    [[nodiscard]] bool lowerMetacopy(const QByteArray &real, QByteArray *redirect) const;
    /// The data of a metacopy file whose absolute redirect is `redirect`, looked up in the
    /// data-only layers (ovl_lookup_data_layers()): into `next`, or its dataError.
    void findData(const QByteArray &redirect, Node &next) const;
    /// The display name of a regular (index < lowers) or data-only layer.
    [[nodiscard]] QString layerName(int layer) const;
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
    /// The dots of `path` walked as the kernel walks them below the merged root: each "." or
    /// ".." needs a directory before it, ".." above the root is EXDEV; a final ".." is only
    /// walked when `resolveLast`. 0, or the errno and in `where` the path it is about.
    [[nodiscard]] int dotsError(const QByteArray &path, bool resolveLast, QByteArray *where) const;
    /// For edits that do not look their last name up (rm, rmdir, mkdir, mv, ln-s, ln's new
    /// name): a path that ends in "." (or is the root) or ".." gets `dotCode` or `dotDotCode`,
    /// once what comes before resolves. Nothing when it ends in a name.
    [[nodiscard]] std::optional<Error> finalDotFailure(
        const QByteArray &path, int dotCode, int dotDotCode, const Action &action) const;
    /// The opening checks of an edit that makes `path` anew (mkdir, ln-s, ln's new name): a
    /// final "." or ".." is EEXIST, and the name must not be there yet.
    [[nodiscard]] Status newName(const QByteArray &path, const Action &action) const;
    /// The parent directory of `path` resolves and is a directory (ENOENT, ENOTDIR, ELOOP).
    [[nodiscard]] Status parentDirectory(const QByteArray &path, const Action &action) const;
    /// `n` can be opened for writing: not a directory (EISDIR) nor a symlink (ELOOP).
    [[nodiscard]] static Status writableFile(const Node &n, const QByteArray &path, const Action &action);
    /// Opens the device, FIFO or socket `n` for writing as the kernel does through the overlay
    /// (the node itself, no copy-up) and runs `use` on it: ENXIO for a FIFO nobody reads.
    [[nodiscard]] static Status throughNode(
        const Node &n, const QByteArray &path, const Action &action, const std::function<int(int fd)> &use);
    /// A lookup that failed at the merged path `where` (ENOENT, ENOTDIR, ELOOP, EPERM).
    [[nodiscard]] static Error lookupFailure(int code, const QByteArray &where, const Action &action);
    /// The errno the kernel gives for `action`, and why, in one sentence.
    [[nodiscard]] static Error failure(int code, const Action &action, const QString &why);
    /// The real path that provides an existing entry: its upper copy, else the lower one.
    [[nodiscard]] static QByteArray realPath(const Node &n);
    /// Where an existing entry's data is read: the lower file under a metacopy file.
    [[nodiscard]] static QByteArray dataPath(const Node &n);
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
    /// What a copy-up takes of a lower file: its data, nothing of it (the edit replaces it),
    /// or its data only without metacopy=on (a metadata-only edit: chmod, a rename...).
    enum class Copy : unsigned char { Data, NoData, Metadata };
    Status copyUp(const QByteArray &path, Copy copy = Copy::Data);
    /// Copies `path` (its parent already in upper) up from `n`'s top lower entry, staged in
    /// work/work and renamed into place. A `change` is made on the staged copy before the
    /// rename; true when it was, false when it is still to be made in upper (it failed on the
    /// copy, or another copy-up won).
    Result<bool> copyUpOne(const QByteArray &path, const Node &n, const CreateFn &change = {}, Copy copy = Copy::Data);
    /// Whether `copy` of the lower entry `st` leaves its data below (metacopy=on).
    [[nodiscard]] bool metadataOnly(Copy copy, const struct stat &st) const;
    /// Makes `tmp` a copy of the lower entry `src` (data, link target or device; of a file
    /// with Copy::Metadata, a hole of its size; the data read from `data` when it is elsewhere,
    /// a metacopy file's): 0 or errno.
    static int copyEntry(
        const QByteArray &src, const QByteArray &data, const struct stat &st, const QByteArray &tmp, Copy copy);
    /// The data of the metacopy file `n` copied from below into its upper copy, and the
    /// overlay.metacopy mark removed (ovl_copy_up_meta_inode_data()), before a write or a
    /// truncate; nothing is copied when `copy` is NoData.
    Status copyUpData(const QByteArray &path, const Node &n, Copy copy, const Action &action);
    /// The redirect a file that is renamed (or linked, `samedir` false) while its data is
    /// below gets, so that lookup still finds the data (ovl_set_redirect() for non-directories).
    Status redirectFile(const QByteArray &from, const Node &n, bool samedir);
    /// Creates a new entry in upper (over a whiteout when there is one), parents copied up;
    /// `atomic`: `create` is not one system call (a file and its data), so it is made in
    /// work/work and renamed in.
    Status placeNew(const QByteArray &path, const CreateFn &create, bool isDir, bool atomic);
    /// A new entry made by `create` in work/work with what its parent passes on, and marked
    /// opaque when asked: its temporary path.
    Result<QByteArray> prepareNew(
        const QByteArray &path, const CreateFn &create, bool isDir, bool opaque, const Action &action);
    Status placeOverWhiteout(const QByteArray &path, const CreateFn &create, bool isDir, const Action &action);
    Status makeWhiteout(const QByteArray &path);
    /// The event of a new whiteout at `path`.
    void whiteoutStep(const QByteArray &path);
    /// Moves the upper entry `real` of `path` out of the view into work/work in one rename and
    /// removes it there.
    Status moveOutOfView(const QByteArray &path, const QByteArray &real, const Action &action);
    /// Whether removing the directory `path` entry by entry would work everywhere, so that one
    /// step can do the same (removeTree()).
    [[nodiscard]] bool removableAtOnce(const QByteArray &path, const Node &n) const;
    /// Empties the upper copy `real` of a merged directory in one exchange (ovl_clear_empty()).
    Status replaceWithEmpty(
        const QByteArray &real, const QByteArray &path, const struct stat &st, const Action &action);
    /// The name an xattr has on the layer (escaped), EOPNOTSUPP when that is too long.
    [[nodiscard]] Result<QByteArray> storedXattrName(const QByteArray &name, const Action &action) const;
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
    /// Copies `path` up and applies `change` to the upper copy (on the staged copy, when it is
    /// copied up now; `copy`: what the change needs of the old data); a non-empty
    /// `explanation` ("%1" the path, "%2" the upper layer) is reported as a modification.
    Status changeInUpper(const QByteArray &path,
        const Action &action,
        const QString &explanation,
        const CreateFn &change,
        Copy copy = Copy::Data);
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
    QList<QByteArray> m_dataLowers;
    StepFn m_step;
    quint64 m_counter = 0;
};

} // namespace strata
