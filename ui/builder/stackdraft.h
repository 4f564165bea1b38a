// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayrequest.h"
#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// The stack the builder edits: the folder its stratascope.json goes in and its overlays in
/// mount order, each as `strata new` asks for one (OverlayRequest, every name given). A value:
/// each undo step keeps one. Every check is the core's: workspace() reads it with the
/// workspace file's reader, save() writes it through OverlayRequest::addTo().
struct StackDraft {
    QString folder; ///< where stratascope.json goes; empty until chosen
    QList<OverlayRequest> overlays;

    [[nodiscard]] bool operator==(const StackDraft &other) const;

    /// The folder's subdirectories, sorted by name, as the lowers of one overlay (top first):
    /// what opening a plain folder offers.
    [[nodiscard]] static StackDraft fromFolder(const QString &folder);
    /// The overlays of a workspace; one whose only lower is another's mountpoint stacks on it.
    [[nodiscard]] static StackDraft fromWorkspace(const Workspace &workspace);

    [[nodiscard]] int indexOf(const QString &name) const;
    /// A name no overlay has: "overlay", "overlay_2", ...
    [[nodiscard]] QString freeName() const;
    /// The mountpoint overlay `i` gets (its own, or <folder>/<name>-merged).
    [[nodiscard]] QString mountpointOf(int i) const;
    /// Its lowers as directories, top first (the merged directory it stacks on included).
    [[nodiscard]] QStringList lowerDirs(int i) const;
    /// The rows the builder lists under overlay `i`: lowerDirs(), then its data-only layers.
    [[nodiscard]] QStringList layerRows(int i) const;
    /// `lower` (a row of layerRows()) made data-only, or a data-only layer made a regular
    /// lower again: false when it cannot be (the merged directory it stacks on, the last
    /// regular lower, or a row out of range). Data-only layers stay below the regular ones.
    [[nodiscard]] bool setDataOnly(int i, int lower, bool dataOnly);

    /// The workspace these overlays make, read by Workspace::fromJson (names, distinct layers,
    /// mountpoints, options): what the mount command shows and Check tries. Makes nothing.
    [[nodiscard]] Result<Workspace> workspace() const;
    /// Writes <folder>/stratascope.json: a new file built one overlay at a time with
    /// OverlayRequest::addTo (which makes the missing upper, work and mountpoint directories,
    /// never a lower), then put in place of the old one in one rename.
    [[nodiscard]] Result<Workspace> save(QStringList *created = nullptr) const;
};

} // namespace strata
