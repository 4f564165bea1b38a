// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"

#include <QHash>
#include <QModelIndex>
#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QScrollArea;
class QSplitter;
class QTreeView;

namespace strata
{

class EventAnimator;
class PatchedTree;
struct TreePatch;
class MergedTreeModel;
class TreeLoader;

/// The layers of one overlay side by side — each lower (the top one nearest upper), upper,
/// work, and the merged view — one tree per column, with expansion, scrolling and selection
/// kept in step: select a path in any column and see it in every layer that has it.
class LayerColumns final : public QWidget
{
    Q_OBJECT
public:
    struct Column {
        QString title; ///< e.g. "lower 1: lower_layer"
        MergeLayers layers; ///< one directory, or the whole stack for the merged column
        MergeOptions options;
        LayerRole role = LayerRole::Lower;
        QString layer; ///< the layer's display name, as events name it ("upper_layer")
        bool external = false; ///< its tree comes from provideTree() (the merged view the window scans anyway)
    };

    explicit LayerColumns(QWidget *parent = nullptr);
    ~LayerColumns() override;

    /// Replaces the columns and scans them in the background. The same columns again (after an
    /// edit) are rescanned in place: expansion and scrolling stay where the user left them;
    /// `lowersUnchanged` skips the lower layers then (an edit never writes to them).
    void setColumns(const QList<Column> &columns, bool lowersUnchanged = false);
    /// The tree of an external column, scanned elsewhere; null: that scan failed.
    void provideTree(int column, std::shared_ptr<const PatchedTree> tree, const QString &error = {});
    /// An edit patched in instead of a rescan: `merged` into the merged column (the patch the
    /// merged view took), `upper` into the upper column; the work column is rescanned (it is
    /// small), the lowers stay. ready() follows as after setColumns(). False, and nothing
    /// changed, when a column shows another tree than its patch was made from.
    [[nodiscard]] bool applyPatches(const TreePatch &merged, const TreePatch *upper);
    [[nodiscard]] bool takesPatches(const TreePatch &merged, const TreePatch *upper) const;
    /// A scan of a column other than work is still due (work's are rescanned after patches).
    [[nodiscard]] bool isLoading() const;
    /// Selects (and reveals) a merged path in every column that has it, on one line: a column
    /// that does not have it shows a ghost row there ("— not in this layer") while any has it.
    void selectPath(const QString &path);
    /// Why the merged view does not show column `column`'s entry at `path` although the
    /// layer has it: "✖ hidden by the whiteout /d" or "▦ hidden by the opaque directory /d" (the entry
    /// or a directory above it); empty when it shows, is only shadowed, or is not a lower.
    [[nodiscard]] QString hiddenBy(int column, const QString &path) const;
    /// The strip of columns scrolls sideways: with many layers a column is never narrower
    /// than its names, so together they are wider than the room they have.
    [[nodiscard]] bool scrollsSideways() const;
    /// Scrolls the strip sideways until column `index` is in sight.
    void ensureVisible(int index);
    [[nodiscard]] const QString &selectedPath() const { return m_selected; }
    /// What the selected path is in this column's layer, in words with a glyph: "✔ provides
    /// it", "▽ shadowed by upper_layer", "✖ hidden by the whiteout in upper_layer"...
    [[nodiscard]] QString status(int column) const;
    /// The last setColumns() rescanned the same columns in place (their state was kept).
    [[nodiscard]] bool wasRefresh() const { return m_refresh; }
    [[nodiscard]] int columnCount() const { return static_cast<int>(m_columns.size()); }
    [[nodiscard]] QTreeView *view(int column) const;
    [[nodiscard]] MergedTreeModel *model(int column) const;
    [[nodiscard]] LayerRole role(int column) const;
    /// The column of `role` showing `layer` (a display name), or the first of `role` when
    /// `layer` is empty; -1 if none.
    [[nodiscard]] int findColumn(LayerRole role, const QString &layer = {}) const;
    [[nodiscard]] bool hasPath(int column, const QString &path) const { return indexFor(column, path).isValid(); }
    /// Where the row of `path` is drawn in column `column`, in this widget's coordinates;
    /// empty when the column does not have it or it is scrolled out of sight.
    [[nodiscard]] QRect rowRect(int column, const QString &path) const;
    /// Where `path`'s line is drawn in column `column`: its row, or the ghost row standing for
    /// it; empty when neither is in sight.
    [[nodiscard]] QRect lineRect(int column, const QString &path) const;
    /// The rows of `path` and of every expanded entry below it, in this widget's coordinates.
    [[nodiscard]] QRect subtreeRect(int column, const QString &path) const;
    /// The area where a column's rows are drawn, in this widget's coordinates.
    [[nodiscard]] QRect bodyRect(int column) const;
    /// Where the text of `path`'s name (with its icon) is drawn in column `column`, in this
    /// widget's coordinates; empty when the row is not in sight. Badges go right of it.
    [[nodiscard]] QRect nameRect(int column, const QString &path) const;
    /// Where a new row under `parentPath` (the top level when it is not there) would be
    /// drawn: after the parent's last shown entry, one level in; always inside the column.
    [[nodiscard]] QRect newRowRect(int column, const QString &parentPath) const;
    [[nodiscard]] QModelIndex indexOf(int column, const QString &path) const { return indexFor(column, path); }
    /// Until released, the column's status line for `path` says `text`, or (empty) what it
    /// said before the last rescan: an animation tells a result when its movement reaches it.
    void holdStatus(int column, const QString &path, const QString &text = {});
    void releaseStatus(int column);
    void releaseStatuses();
    /// The width a column's Name section needs for its widest shown name, indentation included.
    [[nodiscard]] int nameWidthNeeded(int column) const;
    /// Draws each event as a movement over the columns (copy-up, whiteout, opaque...).
    [[nodiscard]] EventAnimator *animator() const { return m_animator; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    /// Every column has been scanned.
    void ready();
    void pathSelected(const QString &path);
    /// A right click in the merged column (the one edits are made in) on `path`, already selected.
    void editMenuRequested(const QString &path, const QPoint &globalPos);
    /// Where the selected path comes from, in column indexes: the column providing it, the
    /// ones whose copies it hides, the one whose whiteout deletes it (-1: none). Path empty:
    /// nothing selected.
    void provenance(const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn);

private:
    struct Slot {
        QLabel *title = nullptr;
        QLabel *status = nullptr;
        QTreeView *view = nullptr;
        MergedTreeModel *model = nullptr;
        TreeLoader *loader = nullptr;
        LayerRole role = LayerRole::Lower;
        QString layer;
        bool waiting = false; // a tree is due (its scan, or provideTree)
        QStringList keepExpanded; // restored once the rescan is in
        int keepScroll = -1;
        int lastScroll = 0; // the scroll bar's value last seen: others follow its change
        std::shared_ptr<const PatchedTree> previous; // what it showed before the last rescan or patch
    };
    struct Held {
        QString path;
        QString text;
    };
    struct Status {
        QString text;
        bool provides = false;
        bool whiteout = false;
        bool shadowed = false;
    };
    [[nodiscard]] bool sameColumns(const QList<Column> &columns) const;
    void loaded(int column, std::shared_ptr<const PatchedTree> tree);
    void updateStatuses(const QString &path);
    /// What `path` is in the column's layer, from its trees now or before the last rescan.
    [[nodiscard]] Status statusOf(size_t column, const QString &path, bool before) const;
    [[nodiscard]] QModelIndex indexFor(int column, const QString &path) const;
    void syncExpansion(int from, const QModelIndex &index, bool expanded);
    void scheduleFit();
    void sizeIcons(QTreeView *view) const;
    void sizeStatus(QLabel *status) const;
    void fitColumns();
    /// Every status line as tall as the longest any column may say: a new selection never
    /// moves the rows, and no status loses a line.
    void fitStatuses();
    void setStatus(size_t column, const QString &text);
    [[nodiscard]] int statusWidthNeeded(size_t column) const;
    [[nodiscard]] QStringList possibleStatuses(size_t column) const;
    [[nodiscard]] const PatchedTree *mergedTree() const;

    std::vector<Slot> m_columns;
    QScrollArea *m_scroll = nullptr; // the strip scrolls sideways when names need more room
    QSplitter *m_row = nullptr;
    EventAnimator *m_animator = nullptr;
    QList<Column> m_defs;
    bool m_refresh = false;
    QString m_selected;
    int m_pending = 0;
    bool m_syncing = false;
    bool m_fitPending = false;
    bool m_userSized = false; // the user moved a splitter handle: keep their widths
    int m_statusHeight = 0; // the status lines' height: the longest any may say
    QHash<int, Held> m_held; // per column: its status line held by an animation
};

} // namespace strata
