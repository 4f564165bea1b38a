// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"

#include <QWidget>

class QListWidget;
class QTreeWidget;

namespace strata
{

class StackDiagram;
class Workspace;

/// The left side of the window: the overlays of a workspace in mount order (those stacked on
/// another say so), and the layer stack of the one shown, as a figure (StackDiagram) or a list.
class StackSidebar final : public QWidget
{
    Q_OBJECT
public:
    explicit StackSidebar(QWidget *parent = nullptr);

    void setWorkspace(const Workspace &workspace);
    /// No overlay is chosen (a read-only view is shown).
    void clearOverlays();
    void setCurrentOverlay(int index);
    /// The layers of what is shown, top first; `describe` gives the words beside each.
    void showLayers(const MergeLayers &layers, const std::function<QString(const MergeLayer &)> &describe);
    /// Flags `overlay` as seeing an edit made in overlay `from` (it stands on it), until chosen.
    void flagEditBelow(int overlay, const QString &from, const QString &overlayName, const QStringList &paths);
    void setChoosable(bool on);

    [[nodiscard]] StackDiagram *diagram() const { return m_diagram; }

Q_SIGNALS:
    void overlayChosen(int index);

private:
    QListWidget *m_overlays = nullptr;
    QTreeWidget *m_layers = nullptr;
    StackDiagram *m_diagram = nullptr;
};

} // namespace strata
