// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/images/analysistree.h"

#include <QRectF>
#include <QSet>
#include <QVector>
#include <QWidget>

#include <memory>

namespace strata
{

/// The merged image as a squarified treemap by size: directories nest (their name on a strip
/// where it fits), files are cells. Inefficient paths (dive's: in two or more layers) are
/// hatched and marked "⚠", so colour is never the only sign. Hover: the path, its size, the
/// layers holding it; a click chooses the path.
class AnalysisTreemap final : public QWidget
{
    Q_OBJECT
public:
    struct Cell {
        QRectF rect;
        int node = 0;
        int depth = 0;
        bool leaf = false;
        bool hatched = false;
    };

    explicit AnalysisTreemap(QWidget *parent = nullptr);

    /// `wasted`: the inefficient paths (bytes, "/a/b").
    void setTree(std::shared_ptr<const AnalysisTree> tree, const QSet<QByteArray> &wasted);
    [[nodiscard]] const QVector<Cell> &cells() const { return m_cells; }
    [[nodiscard]] const std::shared_ptr<const AnalysisTree> &tree() const { return m_tree; }
    /// The paths of the hatched cells.
    [[nodiscard]] QSet<QByteArray> hatchedPaths() const;
    /// The deepest cell under `pos`, -1 for none.
    [[nodiscard]] int cellAt(const QPointF &pos) const;
    [[nodiscard]] QString toolTipOf(int cell) const;

    [[nodiscard]] QSize sizeHint() const override { return {640, 420}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {200, 160}; }

    /// Lays `values` (each > 0) out in `rect` as squarified rectangles, in their order.
    [[nodiscard]] static QVector<QRectF> squarify(const QVector<double> &values, const QRectF &rect);

Q_SIGNALS:
    void pathClicked(const QString &path);
    /// A double-click: the path to show in the layer columns.
    void pathActivated(const QString &path);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    void relayout();
    void layoutChildren(int node, const QRectF &rect, int depth);
    void layoutNode(int node, const QRectF &rect, int depth);
    void paintCell(QPainter &p, const Cell &c) const;
    [[nodiscard]] QColor colourOf(const Cell &c) const;

    std::shared_ptr<const AnalysisTree> m_tree;
    QSet<QByteArray> m_wasted;
    QVector<Cell> m_cells;
    QVector<int> m_topOf; // node → index of its top-level directory, for its hue
};

} // namespace strata
