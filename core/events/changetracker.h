// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/events/uppersnapshot.h"
#include "core/merge/mergedtree.h"
#include "core/stack/workspace.h"

#include <QList>

#include <memory>

namespace strata
{

/// Tells what the kernel did to an overlay by comparing its upper layer before and after a
/// change, knowing what the lower layers hold: copy-ups (with the layer they came from),
/// whiteouts, opaque directories, redirects, metacopy, creations, removals, modifications.
class ChangeTracker final
{
public:
    /// Fails when the overlay has no upper layer or its layers cannot be read.
    /// `userXattrs` forces user.overlay.* (a userns mount adds userxattr whatever the
    /// workspace says). `control` cancels the picture of the lower layers (ECANCELED).
    [[nodiscard]] static Result<ChangeTracker> create(
        const Workspace &workspace, int overlayIndex, bool userXattrs = false, ScanControl *control = nullptr);

    /// Takes the "before" picture (also done by create()).
    void snapshot();
    /// Compares with the last picture, makes the new state the next "before", and returns
    /// the events, parents first. `command` is the shell equivalent of what was done.
    [[nodiscard]] QList<OverlayEvent> changes(const QString &command);

    [[nodiscard]] const QString &upperName() const { return m_upperName; }

private:
    struct Diff;
    struct Name;
    ChangeTracker() = default;
    /// A name that is new in upper (or new over a whiteout): what the kernel did to make it.
    void appeared(Diff &d, const Name &n, bool overWhiteout);
    void copiedUp(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &now, NodeId lower);
    /// A new file that is a lower file copied up and renamed (mv); false when it is not.
    bool renamedCopyUp(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &now);
    /// A name that was in upper before and still is.
    void changedInPlace(Diff &d, const Name &n, const UpperSnapshot::Entry &was);
    /// Names gone from upper for real (not whiteouts, not renamed).
    void disappeared(Diff &d) const;
    /// One of them: removed for good, or (deleted in upper itself) shown again from below.
    void removed(Diff &d, const QByteArray &path, const UpperSnapshot::Entry &was) const;
    /// Whether an opaque directory or a whiteout above `path` in `upper` hides the lower layers there.
    [[nodiscard]] static bool hiddenFromBelow(
        const QMap<QByteArray, UpperSnapshot::Entry> &upper, const QByteArray &path);
    [[nodiscard]] std::optional<NodeId> lowerNode(const QByteArray &path) const;
    [[nodiscard]] QString lowerLayerName(NodeId id) const;

    QByteArray m_upper;
    QString m_upperName;
    XattrNamespace m_ns = XattrNamespace::Trusted;
    std::shared_ptr<MergedTree> m_lower; // the merged view of the lower layers alone
    UpperSnapshot m_before;
};

} // namespace strata
