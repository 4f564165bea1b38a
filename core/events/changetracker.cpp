// SPDX-License-Identifier: GPL-2.0-or-later
#include "changetracker.h"

#include "core/util/filename.h"

#include <QFile>
#include <QSet>

#include <cerrno>

namespace strata
{

namespace
{
QString q(const QByteArray &path)
{
    return decodeFileName(path);
}
QString baseName(const QByteArray &path)
{
    return q(path.mid(path.lastIndexOf('/') + 1));
}
} // namespace

Result<ChangeTracker> ChangeTracker::create(
    const Workspace &workspace, int overlayIndex, bool userXattrs, ScanControl *control)
{
    const OverlaySpec &spec = workspace.overlays().at(overlayIndex);
    if (!spec.hasUpper())
        return Error {EROFS, QStringLiteral("overlay \"%1\" has no upper layer: it is read-only").arg(spec.name)};
    auto layers = workspace.mergeLayers(overlayIndex);
    if (!layers)
        return layers.error();
    MergeLayers lowers = *layers;
    lowers.removeFirst(); // the upper
    ChangeTracker t;
    t.m_upper = encodeFileName(spec.upper);
    t.m_upperName = workspace.displayPath(spec.upper);
    MergeOptions options = spec.options.mergeOptions();
    if (userXattrs) {
        options.xattrs = XattrNamespace::User;
        options.followRedirects = false;
    }
    t.m_ns = options.xattrs;
    auto lower = MergedTree::build(lowers, options, control);
    if (!lower)
        return lower.error();
    t.m_lower = std::make_shared<MergedTree>(std::move(lower.value()));
    t.snapshot();
    return t;
}

void ChangeTracker::snapshot()
{
    m_before = UpperSnapshot::take(m_upper, m_ns);
}

std::optional<NodeId> ChangeTracker::lowerNode(const QByteArray &path) const
{
    const auto id = m_lower->find(std::string_view(path.constData(), static_cast<size_t>(path.size())));
    if (!id || !m_lower->node(*id).isVisible())
        return std::nullopt;
    // A name under a hidden parent is not visible either.
    for (NodeId p = m_lower->node(*id).parent; p != InvalidNode; p = m_lower->node(p).parent) {
        if (!m_lower->node(p).isVisible())
            return std::nullopt;
    }
    return id;
}

QString ChangeTracker::lowerLayerName(NodeId id) const
{
    return m_lower->layers().at(m_lower->node(id).layer).name;
}

// One comparison of upper before and after: the pictures, the events so far, and what
// links removals to creations (renames).
struct ChangeTracker::Diff {
    const QMap<QByteArray, UpperSnapshot::Entry> &before;
    const QMap<QByteArray, UpperSnapshot::Entry> &after;
    const QString &command;
    const QString &upperName;
    QList<OverlayEvent> events;
    QMap<std::uint64_t, QByteArray> removedByIno; ///< a removed name, by inode: a rename's source
    QSet<QByteArray> renamedFrom;
    /// Lower entries newly hidden by a whiteout: a copy-up that was renamed comes from one of them.
    QList<QPair<QByteArray, NodeId>> newlyHidden;

    OverlayEvent &add(OverlayEvent::Kind kind, const QByteArray &path, const QString &from, const QString &explanation)
    {
        OverlayEvent e;
        e.kind = kind;
        e.path = q(path);
        e.fromLayer = from;
        e.toLayer = upperName;
        e.explanation = explanation;
        e.command = command;
        events << e;
        return events.last();
    }
};

// A name of upper after the change, with what the lower layers have there.
struct ChangeTracker::Name {
    const QByteArray &path;
    const UpperSnapshot::Entry &now;
    std::optional<NodeId> lower;
    QString lowerName;
    [[nodiscard]] bool isDir() const { return now.type == EntryType::Directory; }
};

QList<OverlayEvent> ChangeTracker::changes(const QString &command)
{
    UpperSnapshot after = UpperSnapshot::take(m_upper, m_ns);
    after.dropFuseOverlayfsMarkers();
    const auto &b = m_before.entries();
    const auto &a = after.entries();
    Diff d {b, a, command, m_upperName, {}, {}, {}, {}};
    // A removed name and a new name with the same inode: a rename inside upper.
    for (auto it = b.begin(); it != b.end(); ++it) {
        const auto now = a.constFind(it.key());
        if (it->type != EntryType::Whiteout && (now == a.cend() || now->type == EntryType::Whiteout))
            d.removedByIno.insert(it->ino, it.key());
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        const auto was = b.constFind(it.key());
        if (it->type == EntryType::Whiteout && (was == b.cend() || was->type != EntryType::Whiteout)) {
            if (const auto lower = lowerNode(it.key()))
                d.newlyHidden.append({it.key(), *lower});
        }
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        const auto was = b.constFind(it.key());
        if (was != b.cend() && was->type == EntryType::Whiteout && it->type == EntryType::Whiteout)
            continue; // an old whiteout, untouched
        const auto lower = lowerNode(it.key());
        const Name n {it.key(), it.value(), lower, lower ? lowerLayerName(*lower) : QString()};
        if (was == b.cend() || was->type == EntryType::Whiteout)
            appeared(d, n, was != b.cend());
        else
            changedInPlace(d, n, was.value());
    }
    disappeared(d);
    m_before = after;
    return d.events;
}

void ChangeTracker::appeared(Diff &d, const Name &n, bool overWhiteout)
{
    const QByteArray &path = n.path;
    const UpperSnapshot::Entry &now = n.now;
    const auto &lower = n.lower;
    const QString &lowerName = n.lowerName;
    const bool isDir = n.isDir();
    if (now.type == EntryType::Whiteout) {
        d.add(OverlayEvent::Kind::Whiteout,
            path,
            lowerName,
            QStringLiteral("%1 was deleted from the merged view. %2 cannot change, so the kernel put a whiteout "
                           "(a character device 0/0) named %3 in %4 to hide it.")
                .arg(q(path),
                    lowerName.isEmpty() ? QStringLiteral("The lower layer") : lowerName,
                    baseName(path),
                    m_upperName));
        return;
    }
    if (d.removedByIno.contains(now.ino) && !(now.xattrFlags & OverlayXattrs::Redirect)) {
        const QByteArray old = d.removedByIno.value(now.ino);
        d.renamedFrom.insert(old);
        d.add(OverlayEvent::Kind::Renamed,
             path,
             QString(),
             d.after.value(old).type == EntryType::Whiteout
                 ? QStringLiteral("%1 was renamed to %2 inside %3; a lower layer also has %1, so the old name is now a "
                                  "whiteout.")
                       .arg(q(old), q(path), m_upperName)
                 : QStringLiteral("%1 was renamed to %2 inside %3: it lived only in the upper layer, so a plain "
                                  "rename was enough.")
                       .arg(q(old), q(path), m_upperName))
            .fromPath
            = q(old);
        return;
    }
    if (!isDir && !lower && !overWhiteout && renamedCopyUp(d, path, now))
        return;
    if (isDir && (now.xattrFlags & OverlayXattrs::OpaqueY) && (lower || overWhiteout)) {
        d.add(OverlayEvent::Kind::Opaque,
            path,
            lowerName,
            QStringLiteral("%1 was created where a directory of the lower layers had been deleted: the kernel marks "
                           "it opaque (overlay.opaque=y) in %2, so nothing from below shows through.")
                .arg(q(path), m_upperName));
        return;
    }
    if (isDir && (now.xattrFlags & OverlayXattrs::Redirect)) {
        d.add(OverlayEvent::Kind::Redirect,
             path,
             QString(),
             QStringLiteral("%1 is a renamed merged directory: its copy in %2 carries overlay.redirect=\"%3\", "
                            "so lookups still find the lower content under its old name.")
                 .arg(q(path), m_upperName, q(now.redirect)))
            .fromPath
            = q(now.redirect);
        return;
    }
    if (now.xattrFlags & OverlayXattrs::Metacopy) {
        d.add(OverlayEvent::Kind::Metacopy,
            path,
            lowerName,
            QStringLiteral("Only the metadata of %1 was copied up into %2 (metacopy=on); the data stays in %3 until "
                           "the file is written.")
                .arg(q(path), m_upperName, lowerName));
        // What made the copy: a change of mode or owner (times and xattrs are not told apart).
        if (lower) {
            const MergedNode &ln = m_lower->node(*lower);
            if ((now.mode & 07777) != (ln.mode & 07777) || now.uid != ln.uid || now.gid != ln.gid)
                d.add(OverlayEvent::Kind::Modified,
                    path,
                    QString(),
                    QStringLiteral("The copy of %1 in %2 was then changed.").arg(q(path), m_upperName));
        }
        return;
    }
    if (lower && !overWhiteout) {
        copiedUp(d, path, now, *lower);
        return;
    }
    d.add(OverlayEvent::Kind::Created,
        path,
        QString(),
        overWhiteout ? QStringLiteral("%1 was created again where a deleted name was: %2 now holds it instead of "
                                      "the whiteout.")
                           .arg(q(path), m_upperName)
                     : QStringLiteral("%1 is new: it exists only in %2.").arg(q(path), m_upperName));
}

void ChangeTracker::copiedUp(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &now, NodeId lower)
{
    const QString lowerName = lowerLayerName(lower);
    const bool isDir = now.type == EntryType::Directory;
    const MergedNode &ln = m_lower->node(lower);
    d.add(OverlayEvent::Kind::CopyUp,
        path,
        lowerName,
        isDir ? QStringLiteral("The directory %1 of %2 was copied up into %3 (without its contents) so that "
                               "something inside it could change.")
                    .arg(q(path), lowerName, m_upperName)
              : QStringLiteral("%1 came from %2. Before changing it, the kernel copied it (data and metadata) up "
                               "into %3; %2 is unchanged.")
                    .arg(q(path), lowerName, m_upperName));
    const bool changed = !isDir
        && (now.size != ln.size || now.mtimeNs / 1000000000LL != ln.mtime || (now.mode & 07777) != (ln.mode & 07777));
    if (changed)
        d.add(OverlayEvent::Kind::Modified,
            path,
            QString(),
            QStringLiteral("The copy of %1 in %2 was then changed.").arg(q(path), m_upperName));
}

bool ChangeTracker::renamedCopyUp(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &now)
{
    // mv of a lower file: the kernel copies it up, then renames the copy (and leaves a
    // whiteout at the old name). Copy-up keeps size, mtime and mode.
    for (const auto &[oldPath, node] : std::as_const(d.newlyHidden)) {
        const MergedNode &ln = m_lower->node(node);
        if (ln.type != now.type || ln.size != now.size || ln.mtime != now.mtimeNs / 1000000000LL
            || (ln.mode & 07777) != (now.mode & 07777))
            continue;
        const QString from = lowerLayerName(node);
        d.add(OverlayEvent::Kind::CopyUp,
             path,
             from,
             QStringLiteral("%1 came from %2: the kernel copied it up into %3 before renaming it.")
                 .arg(q(oldPath), from, m_upperName))
            .fromPath
            = q(oldPath);
        d.add(OverlayEvent::Kind::Renamed,
             path,
             QString(),
             QStringLiteral("The copy was renamed to %1; the old name %2 is hidden by a whiteout.")
                 .arg(q(path), q(oldPath)))
            .fromPath
            = q(oldPath);
        return true;
    }
    return false;
}

void ChangeTracker::changedInPlace(Diff &d, const Name &n, const UpperSnapshot::Entry &was)
{
    const UpperSnapshot::Entry &now = n.now;
    if (now.type == EntryType::Whiteout) {
        d.add(OverlayEvent::Kind::Whiteout,
            n.path,
            n.lowerName,
            QStringLiteral("%1 was deleted. It also exists in %2, so removing the copy in %3 was not enough: the "
                           "kernel replaced it with a whiteout (a character device 0/0).")
                .arg(q(n.path), n.lowerName.isEmpty() ? QStringLiteral("a lower layer") : n.lowerName, m_upperName));
        return;
    }
    if (n.isDir() && (now.xattrFlags & OverlayXattrs::OpaqueY) && !(was.xattrFlags & OverlayXattrs::OpaqueY)) {
        d.add(OverlayEvent::Kind::Opaque,
            n.path,
            n.lowerName,
            QStringLiteral("%1 in %2 became opaque (overlay.opaque=y): nothing from the lower layers shows through it.")
                .arg(q(n.path), m_upperName));
        return;
    }
    if ((was.xattrFlags & OverlayXattrs::Metacopy) && !(now.xattrFlags & OverlayXattrs::Metacopy)
        && now.type == EntryType::File) {
        // ovl_copy_up_meta_inode_data(): the data followed the metadata, in place.
        d.add(OverlayEvent::Kind::CopyUp,
            n.path,
            n.lowerName,
            QStringLiteral("%1 had only its metadata in %2 (metacopy): before the change its data was copied up from "
                           "%3 too, and overlay.metacopy removed.")
                .arg(q(n.path), m_upperName, n.lowerName));
    }
    const bool typeChanged = now.type != was.type;
    const bool metaChanged = now.mode != was.mode || now.uid != was.uid || now.gid != was.gid;
    const bool dataChanged = !n.isDir() && (now.size != was.size || now.mtimeNs != was.mtimeNs || now.ino != was.ino);
    if (typeChanged || metaChanged || dataChanged)
        d.add(OverlayEvent::Kind::Modified,
            n.path,
            QString(),
            QStringLiteral("%1 was already in %2 and was changed there: no copy-up was needed.")
                .arg(q(n.path), m_upperName));
    else if (now.xattrDigest != was.xattrDigest)
        d.add(OverlayEvent::Kind::Modified,
            n.path,
            QString(),
            QStringLiteral("An extended attribute of %1 was set or removed in %2, where it already was: no copy-up "
                           "was needed.")
                .arg(q(n.path), m_upperName));
}

void ChangeTracker::disappeared(Diff &d) const
{
    const auto &a = d.after;
    for (auto it = d.before.begin(); it != d.before.end(); ++it) {
        if (a.contains(it.key()) || it->type == EntryType::Whiteout || d.renamedFrom.contains(it.key()))
            continue;
        // Children of a removed directory go with it: report the directory only.
        bool parentGone = false;
        for (qsizetype slash = it.key().lastIndexOf('/'); slash > 0; slash = it.key().lastIndexOf('/', slash - 1)) {
            const QByteArray parent = it.key().left(slash);
            if (d.before.contains(parent) && (!a.contains(parent) || a.value(parent).type == EntryType::Whiteout)) {
                parentGone = true;
                break;
            }
        }
        if (parentGone)
            continue;
        removed(d, it.key(), it.value());
    }
}

void ChangeTracker::removed(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &was) const
{
    const auto lower = lowerNode(path);
    if (!lower || hiddenFromBelow(d.after, path)) {
        d.add(OverlayEvent::Kind::Removed,
            path,
            QString(),
            QStringLiteral("%1 existed only in %2, so deleting it simply removed it: no whiteout was needed.")
                .arg(q(path), m_upperName));
        return;
    }
    // Removed from upper itself (not through the merged view, where the kernel would have left
    // a whiteout): what a lower layer has there shows again.
    const QString lowerName = lowerLayerName(*lower);
    QString text;
    if (was.type != EntryType::Directory) {
        text = QStringLiteral("The copy of %1 in %2 was deleted there directly, not through the merged view. %3 also "
                              "has %1, so the merged view shows that version again: the changes kept in %2 are gone.")
                   .arg(q(path), m_upperName, lowerName);
    } else {
        qsizetype inside = 0;
        const QByteArray prefix = path + '/';
        for (auto it = d.before.lowerBound(prefix); it != d.before.end() && it.key().startsWith(prefix); ++it)
            ++inside;
        text = QStringLiteral("The copy of the directory %1 in %2 was deleted there directly (with the %3 entries it "
                              "held), not through the merged view. %4 also has %1, so the merged view shows it again "
                              "as the lower layers have it: the changes kept in %2 are gone.")
                   .arg(q(path), m_upperName)
                   .arg(inside)
                   .arg(lowerName);
    }
    d.add(OverlayEvent::Kind::Removed, path, lowerName, text);
}

bool ChangeTracker::hiddenFromBelow(const QMap<QByteArray, UpperSnapshot::Entry> &upper, const QByteArray &path)
{
    // An opaque directory or a whiteout above it in upper keeps the lower layers' copy hidden.
    for (qsizetype slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        const auto it = upper.constFind(path.left(slash));
        if (it != upper.cend() && (it->type == EntryType::Whiteout || (it->xattrFlags & OverlayXattrs::OpaqueY)))
            return true;
    }
    return false;
}

} // namespace strata
