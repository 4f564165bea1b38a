// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/events/treepatcher.h"
#include "core/merge/mergednode.h"
#include "ui/common/backgroundjob.h"
#include "ui/stage/editactions.h"
#include "ui/stage/layercolumns.h"

#include <QWidget>

#include <memory>

class QAction;
class QTabWidget;
class QTreeView;

namespace strata
{

class CaptionBanner;
class MergedTree;
class MergedTreeModel;
class WhiteoutFilter;

/// The classroom stage: the layers side by side (the default) and the merged view, one tab
/// each, and below them one strip with the lesson's narration beside the captions. The strip
/// keeps its height whether a caption shows or not, so the trees never jump or shrink. An
/// edit's events play here once the columns show its result: each caption selects its path
/// in every view while the columns animate what the overlay did.
class Stage final : public QWidget
{
    Q_OBJECT
public:
    explicit Stage(QWidget *parent = nullptr);

    [[nodiscard]] MergedTreeModel *model() const { return m_model; }
    [[nodiscard]] WhiteoutFilter *filter() const { return m_filter; }
    [[nodiscard]] QTreeView *treeView() const { return m_treeView; }
    [[nodiscard]] LayerColumns *columns() const { return m_columns; }
    [[nodiscard]] CaptionBanner *captions() const { return m_captions; }

    /// The edits offered in the views' context menus.
    void setEditActions(const QList<QAction *> &actions);
    /// Replaces (or, the same again, rescans) the columns; the merged one gets showTree()'s tree.
    void setColumns(const QList<LayerColumns::Column> &columns, bool lowersUnchanged);
    /// The merged view, scanned by the window; null with a message when the scan failed.
    void showTree(std::shared_ptr<const MergedTree> tree, const QString &error = {});
    /// Patches the views with an edit's events instead of rescanning them (TreePatcher, in
    /// the background): patched() once they show the edit, or patchFailed() and the caller
    /// rescans. False when there is nothing to patch yet (a scan is still due).
    [[nodiscard]] bool patchEdit(const QList<OverlayEvent> &events);
    /// Selects a merged path in every view; false if it is not there (yet: it is selected once
    /// the next tree arrives).
    bool selectPath(const QString &mergedPath);
    [[nodiscard]] QString currentPath() const;
    [[nodiscard]] EditActions::Selection selection() const;
    [[nodiscard]] NodeId currentNode() const;

    /// An edit's events: played once the columns show its result, its last path selected.
    void play(const QList<OverlayEvent> &events);
    /// Events played again now (a double-click in the timeline).
    void replay(const QList<OverlayEvent> &events);
    /// Drops what is playing or waiting: it is about another state.
    void clearEvents();
    /// Captions and animations: 1 normal, 0.25 slow, 4 fast, 0 off.
    void setAnimationSpeed(double factor);
    /// After an edit, show the layers side by side and play what the overlay did there.
    void setAnimateInColumns(bool on) { m_animateInColumns = on; }
    /// The tabs: the layers side by side, the merged view.
    enum Tab { ColumnsTab, MergedTab };
    void showTab(Tab tab);
    /// The lesson's narration, beside the captions (null: none).
    void setNarration(QWidget *narration);
    /// A read-only view (an image, a store's layers): no edits, so no captions; the strip goes
    /// and the trees get its rows.
    void setReadOnly(bool readOnly);
    /// Shows the column `index` and gives it the focus.
    void showColumn(int index);

Q_SIGNALS:
    /// The entry selected in the merged view changed.
    void currentChanged();
    /// The views show an edit, patched in (patchEdit()).
    void patched();
    /// The edit could not be patched in (why, in words): the views need a rescan.
    void patchFailed(const QString &why);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Patches {
        Result<TreePatch> merged = Error {};
        std::optional<Result<TreePatch>> upper;
    };
    void columnsReady();
    void sizeStrip();
    void patchDone(const Patches &patches);
    /// After a new tree or a patch: the selection again (or the one an edit asked for).
    void reselect(const QString &before);

    MergedTreeModel *m_model = nullptr;
    WhiteoutFilter *m_filter = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTreeView *m_treeView = nullptr;
    LayerColumns *m_columns = nullptr;
    CaptionBanner *m_captions = nullptr;
    QWidget *m_strip = nullptr; // narration and captions
    bool m_readOnly = false;
    QWidget *m_narration = nullptr;
    QList<QAction *> m_editActions;
    QString m_pendingSelection;
    QList<OverlayEvent> m_pendingEvents; // played once the columns show the edit's result
    bool m_animateInColumns = true;
    BackgroundJob<std::shared_ptr<const Patches>> m_patchJob;
};

} // namespace strata
