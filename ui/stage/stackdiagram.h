// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/layerrole.h"

#include <QColor>
#include <QList>
#include <QPolygonF>
#include <QString>
#include <QWidget>

#include <vector>

namespace strata
{

/// The layers of one overlay drawn as stacked planes, like the classic OverlayFS figure: the
/// bottom lower at the bottom, the other lowers above it, upper above them with the work
/// directory as a small plane beside it, and the merged view on top (dashed). Every plane
/// says its role and name in words, with a glyph and the layer's colour. Tall stacks thin the
/// planes down to one line of text, then fold the middle lowers into one "… N more layers"
/// plane. Everything is painted in paintEvent, so render() into an SVG or PNG captures it.
class StackDiagram final : public QWidget
{
    Q_OBJECT
public:
    struct Plane {
        LayerRole role = LayerRole::Lower;
        QString name; ///< the layer's display name, e.g. "lower_layer"
        QColor colour; ///< the layer's colour (MergedTreeModel::layerColor); may be invalid
        QString via; ///< for a lower that is another overlay's mountpoint: that overlay's name
    };

    explicit StackDiagram(QWidget *parent = nullptr);
    ~StackDiagram() override;

    /// The planes bottom first, in the order of the layer columns: lowers from the bottom one
    /// up, then upper, work and merged. Where a plane is drawn depends only on its role
    /// (lowers keep their order), so work and merged may come anywhere. Lowers are numbered
    /// from the bottom, "lower 1" being the bottom one, as the columns number them. Clears
    /// the highlight.
    void setPlanes(const QList<Plane> &planes);
    [[nodiscard]] const QList<Plane> &planes() const { return m_planes; }

    /// Shows where `path` comes from: `provider` provides it, `shadowed` hold copies it hides,
    /// `whiteoutIn` holds the whiteout or opaque directory that hides it. Indexes into planes();
    /// -1 for none. A folded plane that provides or hides the path is unfolded.
    void setHighlight(const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn = -1);
    void clearHighlight();
    [[nodiscard]] QString highlightedPath() const { return m_path; }

    /// The plane drawn at `pos`; -1 for none (and for the "… N more layers" plane).
    [[nodiscard]] int planeAt(const QPoint &pos) const;
    /// The bounding rect of a plane; empty when it is folded into "… N more layers".
    [[nodiscard]] QRect planeRect(int index) const;
    [[nodiscard]] bool isFolded(int index) const;
    /// The bounding rects of the "… N more layers" planes, top first.
    [[nodiscard]] QList<QRect> foldRects() const;
    /// The words that name a plane: "lower 1: lower_layer", "work (staging): temp_layer"...
    [[nodiscard]] QString label(int index) const;
    /// Every line of words drawn on a plane when there is room, top first: the label (for work
    /// just "work (staging)"), then its name, "merged view" or viaText(),
    /// then the tag. A thin plane draws them on one line.
    [[nodiscard]] QStringList lines(int index) const;
    /// For a lower reached through another overlay: "through overlay overlay_1" ("(via
    /// overlay_1)" on one line), or "= merged view of overlay_1" when the plane is that
    /// overlay's mountpoint. Empty for other planes.
    [[nodiscard]] QString viaText(int index, bool dense) const;
    /// The words drawn on a plane for the highlight ("✔ provides /x", "⊘ shadowed",
    /// "† hides /x below"); empty when the highlight does not concern it.
    [[nodiscard]] QString tagText(int index) const;

    /// The words the last paint had to shorten ("temp_l…"); empty when every one was whole.
    [[nodiscard]] const QStringList &cutTexts() const { return m_cut; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    void planeClicked(int index);

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    /// One drawn plane: a real one, or the fold standing for several lowers.
    struct Item {
        int plane = -1; ///< -1 for a fold
        QList<int> folded; ///< the planes a fold stands for, top first
        QPolygonF shape; ///< the parallelogram
        QRectF bounds;
        bool dense = false; ///< one line of text: tags become chips, `via` joins the title
        int lineSlots = 1; ///< lines of text the plane has room for
    };
    /// One row of the stack: planes side by side (upper and work), or a fold of lowers.
    struct Row {
        QList<int> planes;
        QList<int> folded;
    };
    using Rows = QList<Row>;

    /// With `kept`, the lowers not in it fold, each run of them into one row.
    /// `workBelow`: work on a row of its own under upper, not beside it.
    [[nodiscard]] Rows rows(const QList<int> *kept = nullptr, bool workBelow = false) const;
    [[nodiscard]] QList<int> lowersTopFirst() const;
    [[nodiscard]] int lowerNumber(int index) const;
    [[nodiscard]] int lineCount(int index) const;
    [[nodiscard]] int rowLines(const Row &row, bool dense) const;
    /// Upper and work side by side keep their words whole.
    [[nodiscard]] bool workFitsBeside() const;
    /// The width upper and work need side by side, their words whole.
    [[nodiscard]] double besideWidth() const;
    [[nodiscard]] double rowHeight(const Row &row, bool dense, double tightness) const;
    [[nodiscard]] double naturalHeight(const Rows &rows, bool dense, double tightness) const;
    void ensureLayout() const;
    void layoutRows(const Rows &rows, bool dense, double tightness) const;
    void invalidate();
    [[nodiscard]] int itemAt(const QPoint &pos) const;
    /// The tag's wordings, longest first, for narrow planes.
    [[nodiscard]] QStringList tagVariants(int index) const;
    /// What a fold says, longest first.
    [[nodiscard]] QStringList foldTexts(const Item &item) const;

    void paintPlane(QPainter &p, const Item &item) const;
    /// The parallelogram, tinted and outlined for the highlight; returns its fill.
    QColor paintPlaneShape(QPainter &p, const Item &item, const QColor &colour, double lineHeight) const;
    void paintTagChip(QPainter &p, const QRectF &chip, const QString &text, const QColor &edge) const;
    void paintFold(QPainter &p, const Item &item) const;
    /// `text` elided to `width`, noted in cutTexts() when it had to be.
    [[nodiscard]] QString elided(
        const QFontMetricsF &fm, const QString &text, Qt::TextElideMode mode, double width) const;

    QList<Plane> m_planes;
    QString m_path;
    int m_provider = -1;
    QList<int> m_shadowed;
    int m_whiteoutIn = -1;
    int m_pressed = -1;

    mutable bool m_dirty = true;
    mutable std::vector<Item> m_items;
    mutable QStringList m_cut;
};

} // namespace strata
