// SPDX-License-Identifier: GPL-2.0-or-later
#include "changetracker.h"

#include <QFile>
#include <QSet>

#include <cerrno>

namespace strata
{

namespace
{
QString q(const QByteArray &path)
{
    return QFile::decodeName(path);
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
    t.m_upper = QFile::encodeName(spec.upper);
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

QList<OverlayEvent> ChangeTracker::changes(const QString &command)
{
    UpperSnapshot after = UpperSnapshot::take(m_upper, m_ns);
    after.dropFuseOverlayfsMarkers();
    const auto &b = m_before.entries();
    const auto &a = after.entries();
    QList<OverlayEvent> events;
    auto add = [&](OverlayEvent::Kind kind, const QByteArray &path, const QString &from, const QString &explanation) {
        OverlayEvent e;
        e.kind = kind;
        e.path = q(path);
        e.fromLayer = from;
        e.toLayer = m_upperName;
        e.explanation = explanation;
        e.command = command;
        events << e;
    };

    // A removed name and a new name with the same inode: a rename inside upper.
    QMap<std::uint64_t, QByteArray> removedByIno;
    for (auto it = b.begin(); it != b.end(); ++it) {
        const auto now = a.constFind(it.key());
        if (it->type != EntryType::Whiteout && (now == a.cend() || now->type == EntryType::Whiteout))
            removedByIno.insert(it->ino, it.key());
    }
    QSet<QByteArray> renamedFrom;
    // Lower entries newly hidden by a whiteout: a copy-up that was renamed comes from one of them.
    QList<QPair<QByteArray, NodeId>> newlyHidden;
    for (auto it = a.begin(); it != a.end(); ++it) {
        const auto was = b.constFind(it.key());
        if (it->type == EntryType::Whiteout && (was == b.cend() || was->type != EntryType::Whiteout)) {
            if (const auto lower = lowerNode(it.key()))
                newlyHidden.append({it.key(), *lower});
        }
    }

    for (auto it = a.begin(); it != a.end(); ++it) {
        const QByteArray &path = it.key();
        const UpperSnapshot::Entry &now = it.value();
        const auto was = b.constFind(path);
        const auto lower = lowerNode(path);
        const QString lowerName = lower ? lowerLayerName(*lower) : QString();
        const bool isDir = now.type == EntryType::Directory;
        if (was != b.cend() && was->type == EntryType::Whiteout && now.type == EntryType::Whiteout)
            continue; // an old whiteout, untouched

        if (was == b.cend() || was->type == EntryType::Whiteout) {
            const bool overWhiteout = was != b.cend();
            if (now.type == EntryType::Whiteout) {
                add(OverlayEvent::Kind::Whiteout,
                    path,
                    lowerName,
                    QStringLiteral(
                        "%1 was deleted from the merged view. %2 cannot change, so the kernel put a whiteout "
                        "(a character device 0/0) named %3 in %4 to hide it.")
                        .arg(q(path),
                            lowerName.isEmpty() ? QStringLiteral("The lower layer") : lowerName,
                            baseName(path),
                            m_upperName));
                continue;
            }
            if (removedByIno.contains(now.ino) && !(now.xattrFlags & OverlayXattrs::Redirect)) {
                const QByteArray old = removedByIno.value(now.ino);
                renamedFrom.insert(old);
                OverlayEvent e;
                e.kind = OverlayEvent::Kind::Renamed;
                e.path = q(path);
                e.fromPath = q(old);
                e.toLayer = m_upperName;
                e.explanation = a.value(old).type == EntryType::Whiteout
                    ? QStringLiteral(
                        "%1 was renamed to %2 inside %3; a lower layer also has %1, so the old name is now a "
                        "whiteout.")
                          .arg(q(old), q(path), m_upperName)
                    : QStringLiteral(
                        "%1 was renamed to %2 inside %3: it lived only in the upper layer, so a plain rename "
                        "was enough.")
                          .arg(q(old), q(path), m_upperName);
                e.command = command;
                events << e;
                continue;
            }
            if (!isDir && !lower && !overWhiteout) {
                // mv of a lower file: the kernel copies it up, then renames the copy (and
                // leaves a whiteout at the old name). Copy-up keeps size, mtime and mode.
                std::optional<QPair<QByteArray, NodeId>> source;
                for (const auto &h : newlyHidden) {
                    const MergedNode &ln = m_lower->node(h.second);
                    if (ln.type == now.type && ln.size == now.size && ln.mtime == now.mtimeNs / 1000000000LL
                        && (ln.mode & 07777) == (now.mode & 07777)) {
                        source = h;
                        break;
                    }
                }
                if (source) {
                    const QString from = lowerLayerName(source->second);
                    OverlayEvent up;
                    up.kind = OverlayEvent::Kind::CopyUp;
                    up.path = q(path);
                    up.fromPath = q(source->first);
                    up.fromLayer = from;
                    up.toLayer = m_upperName;
                    up.explanation
                        = QStringLiteral("%1 came from %2: the kernel copied it up into %3 before renaming it.")
                              .arg(q(source->first), from, m_upperName);
                    up.command = command;
                    events << up;
                    OverlayEvent mv = up;
                    mv.kind = OverlayEvent::Kind::Renamed;
                    mv.fromLayer.clear();
                    mv.explanation
                        = QStringLiteral("The copy was renamed to %1; the old name %2 is hidden by a whiteout.")
                              .arg(q(path), q(source->first));
                    events << mv;
                    continue;
                }
            }
            if (isDir && (now.xattrFlags & OverlayXattrs::OpaqueY) && (lower || overWhiteout)) {
                add(OverlayEvent::Kind::Opaque,
                    path,
                    lowerName,
                    QStringLiteral(
                        "%1 was created where a directory of the lower layers had been deleted: the kernel marks "
                        "it opaque (overlay.opaque=y) in %2, so nothing from below shows through.")
                        .arg(q(path), m_upperName));
                continue;
            }
            if (isDir && (now.xattrFlags & OverlayXattrs::Redirect)) {
                OverlayEvent e;
                e.kind = OverlayEvent::Kind::Redirect;
                e.path = q(path);
                e.fromPath = q(now.redirect);
                e.toLayer = m_upperName;
                e.explanation = QStringLiteral(
                    "%1 is a renamed merged directory: its copy in %2 carries overlay.redirect=\"%3\", "
                    "so lookups still find the lower content under its old name.")
                                    .arg(q(path), m_upperName, q(now.redirect));
                e.command = command;
                events << e;
                continue;
            }
            if (now.xattrFlags & OverlayXattrs::Metacopy) {
                add(OverlayEvent::Kind::Metacopy,
                    path,
                    lowerName,
                    QStringLiteral(
                        "Only the metadata of %1 was copied up into %2 (metacopy=on); the data stays in %3 until "
                        "the file is written.")
                        .arg(q(path), m_upperName, lowerName));
                continue;
            }
            if (lower && !overWhiteout) {
                const MergedNode &ln = m_lower->node(*lower);
                add(OverlayEvent::Kind::CopyUp,
                    path,
                    lowerName,
                    isDir
                        ? QStringLiteral("The directory %1 of %2 was copied up into %3 (without its contents) so that "
                                         "something inside it could change.")
                              .arg(q(path), lowerName, m_upperName)
                        : QStringLiteral(
                            "%1 came from %2. Before changing it, the kernel copied it (data and metadata) up "
                            "into %3; %2 is unchanged.")
                              .arg(q(path), lowerName, m_upperName));
                const bool changed = !isDir
                    && (now.size != ln.size || now.mtimeNs / 1000000000LL != ln.mtime
                        || (now.mode & 07777) != (ln.mode & 07777));
                if (changed)
                    add(OverlayEvent::Kind::Modified,
                        path,
                        QString(),
                        QStringLiteral("The copy of %1 in %2 was then changed.").arg(q(path), m_upperName));
                continue;
            }
            add(OverlayEvent::Kind::Created,
                path,
                QString(),
                overWhiteout
                    ? QStringLiteral("%1 was created again where a deleted name was: %2 now holds it instead of "
                                     "the whiteout.")
                          .arg(q(path), m_upperName)
                    : QStringLiteral("%1 is new: it exists only in %2.").arg(q(path), m_upperName));
            continue;
        }

        // The name was in upper before too.
        if (now.type == EntryType::Whiteout) {
            add(OverlayEvent::Kind::Whiteout,
                path,
                lowerName,
                QStringLiteral(
                    "%1 was deleted. It also exists in %2, so removing the copy in %3 was not enough: the kernel "
                    "replaced it with a whiteout (a character device 0/0).")
                    .arg(q(path), lowerName.isEmpty() ? QStringLiteral("a lower layer") : lowerName, m_upperName));
            continue;
        }
        if (isDir && (now.xattrFlags & OverlayXattrs::OpaqueY) && !(was->xattrFlags & OverlayXattrs::OpaqueY)) {
            add(OverlayEvent::Kind::Opaque,
                path,
                lowerName,
                QStringLiteral(
                    "%1 in %2 became opaque (overlay.opaque=y): nothing from the lower layers shows through it.")
                    .arg(q(path), m_upperName));
            continue;
        }
        const bool typeChanged = now.type != was->type;
        const bool metaChanged = now.mode != was->mode || now.uid != was->uid || now.gid != was->gid;
        const bool dataChanged
            = !isDir && (now.size != was->size || now.mtimeNs != was->mtimeNs || now.ino != was->ino);
        if (typeChanged || metaChanged || dataChanged) {
            add(OverlayEvent::Kind::Modified,
                path,
                QString(),
                QStringLiteral("%1 was already in %2 and was changed there: no copy-up was needed.")
                    .arg(q(path), m_upperName));
        }
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (a.contains(it.key()) || it->type == EntryType::Whiteout || renamedFrom.contains(it.key()))
            continue;
        // Children of a removed directory go with it: report the directory only.
        bool parentGone = false;
        for (qsizetype slash = it.key().lastIndexOf('/'); slash > 0; slash = it.key().lastIndexOf('/', slash - 1)) {
            const QByteArray parent = it.key().left(slash);
            if (b.contains(parent) && (!a.contains(parent) || a.value(parent).type == EntryType::Whiteout)) {
                parentGone = true;
                break;
            }
        }
        if (parentGone)
            continue;
        add(OverlayEvent::Kind::Removed,
            it.key(),
            QString(),
            QStringLiteral("%1 existed only in %2, so deleting it simply removed it: no whiteout was needed.")
                .arg(q(it.key()), m_upperName));
    }
    m_before = after;
    return events;
}

} // namespace strata
