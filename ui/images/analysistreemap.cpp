// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/analysistreemap.h"

#include "core/util/filename.h"
#include "ui/images/storeformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QStringList>
#include <QToolTip>

#include <algorithm>

namespace strata
{

namespace
{

const QString WastedMark = QStringLiteral("⚠ ");

// The worst aspect ratio of a row of areas laid along a side of length `side`.
double worst(double sum, double smallest, double largest, double side)
{
    const double s2 = sum * sum;
    const double w2 = side * side;
    return std::max(w2 * largest / s2, s2 / (w2 * smallest));
}

QColor textOn(const QColor &fill)
{
    return qGray(fill.rgb()) > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace

AnalysisTreemap::AnalysisTreemap(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void AnalysisTreemap::setTree(std::shared_ptr<const AnalysisTree> tree, const QSet<QByteArray> &wasted)
{
    m_tree = std::move(tree);
    m_wasted = wasted;
    m_topOf.clear();
    if (m_tree) {
        m_topOf.resize(m_tree->nodes().size());
        for (int i = 1; i < m_tree->nodes().size(); ++i) {
            const int parent = m_tree->node(i).parent;
            m_topOf[i] = parent <= 0 ? m_tree->node(i).row : m_topOf[parent];
        }
    }
    relayout();
    update();
}

QVector<QRectF> AnalysisTreemap::squarify(const QVector<double> &values, const QRectF &rect)
{
    QVector<QRectF> out;
    double total = 0;
    for (double v : values)
        total += v;
    if (total <= 0 || rect.isEmpty())
        return QVector<QRectF>(values.size());
    const double scale = rect.width() * rect.height() / total;
    QRectF free = rect;
    qsizetype i = 0;
    while (i < values.size()) {
        const bool wide = free.width() >= free.height();
        const double side = wide ? free.height() : free.width();
        // Take areas while the row's worst ratio does not grow.
        qsizetype end = i;
        double sum = 0, smallest = 0, largest = 0, ratio = 0;
        while (end < values.size()) {
            const double a = values[end] * scale;
            const double s = sum + a;
            const double lo = end == i ? a : std::min(smallest, a);
            const double hi = end == i ? a : std::max(largest, a);
            const double r = worst(s, lo, hi, side);
            if (end > i && r > ratio)
                break;
            sum = s, smallest = lo, largest = hi, ratio = r, ++end;
        }
        const double thick = side > 0 ? sum / side : 0;
        double along = wide ? free.top() : free.left();
        for (qsizetype k = i; k < end; ++k) {
            const double length = thick > 0 ? values[k] * scale / thick : 0;
            out.push_back(wide ? QRectF(free.left(), along, thick, length) : QRectF(along, free.top(), length, thick));
            along += length;
        }
        free = wide ? free.adjusted(thick, 0, 0, 0) : free.adjusted(0, thick, 0, 0);
        i = end;
    }
    return out;
}

void AnalysisTreemap::relayout()
{
    m_cells.clear();
    if (m_tree)
        layoutChildren(0, QRectF(rect()).adjusted(1, 1, -1, -1), 0);
}

// A directory's children by size, largest first; empty ones take no room.
void AnalysisTreemap::layoutChildren(int node, const QRectF &rect, int depth)
{
    QVector<int> kids;
    for (int c : m_tree->node(node).children) {
        if (m_tree->node(c).size > 0)
            kids.push_back(c);
    }
    std::sort(kids.begin(), kids.end(), [this](int a, int b) { return m_tree->node(a).size > m_tree->node(b).size; });
    QVector<double> values;
    for (int c : std::as_const(kids))
        values.push_back(double(m_tree->node(c).size));
    const QVector<QRectF> rects = squarify(values, rect);
    for (qsizetype k = 0; k < kids.size(); ++k)
        layoutNode(kids[k], rects[k], depth);
}

void AnalysisTreemap::layoutNode(int node, const QRectF &rect, int depth)
{
    // Less than a pixel shows nothing: no cell (a million files would take long otherwise).
    if (rect.width() < 1 || rect.height() < 1)
        return;
    const AnalysisTree::Node &n = m_tree->node(node);
    m_cells.push_back({rect, node, depth, n.leaf, n.leaf && m_wasted.contains(n.path)});
    if (n.leaf)
        return;
    // A strip for the directory's name where there is room; its contents inside a frame.
    const double strip = fontMetrics().height() + 2;
    const bool named = rect.height() > 2.5 * strip && rect.width() > 4 * strip;
    const QRectF inner = rect.adjusted(2, named ? strip : 2, -2, -2);
    if (inner.width() >= 2 && inner.height() >= 2)
        layoutChildren(node, inner, depth + 1);
}

QSet<QByteArray> AnalysisTreemap::hatchedPaths() const
{
    QSet<QByteArray> out;
    for (const Cell &c : m_cells) {
        if (c.hatched)
            out.insert(m_tree->node(c.node).path);
    }
    return out;
}

int AnalysisTreemap::cellAt(const QPointF &pos) const
{
    // Cells come parents first, so the last that holds the point is the deepest.
    for (int i = int(m_cells.size()) - 1; i >= 0; --i) {
        if (m_cells[i].rect.contains(pos))
            return i;
    }
    return -1;
}

QString AnalysisTreemap::toolTipOf(int cell) const
{
    if (cell < 0 || cell >= m_cells.size())
        return {};
    const AnalysisTree::Node &n = m_tree->node(m_cells[cell].node);
    QStringList layers;
    for (int k : n.layers)
        layers << QString::number(k);
    QString tip = tr("%1\n%2").arg(decodeFileName(n.path), StoreFormat::exactSize(n.size));
    if (n.leaf)
        tip += QLatin1Char('\n') + tr("In layer(s): %1").arg(layers.join(QStringLiteral(", ")));
    if (m_cells[cell].hatched)
        tip += QLatin1Char('\n') + tr("⚠ Inefficient: in %n layers (hatched)", nullptr, int(n.layers.size()));
    return tip;
}

QColor AnalysisTreemap::colourOf(const Cell &c) const
{
    const int hue = (m_topOf.value(c.node) * 47) % 360;
    if (!c.leaf)
        return QColor::fromHsl(hue, 60, std::max(120, 215 - 20 * c.depth));
    return QColor::fromHsl(hue, 110, 170);
}

void AnalysisTreemap::paintCell(QPainter &p, const Cell &c) const
{
    const AnalysisTree::Node &n = m_tree->node(c.node);
    const QColor fill = colourOf(c);
    p.fillRect(c.rect, fill);
    if (c.hatched)
        p.fillRect(c.rect, QBrush(QColor(40, 0, 0), Qt::BDiagPattern));
    p.setPen(QPen(c.leaf ? fill.darker(160) : fill.darker(200), c.leaf ? 1 : 1.5));
    p.drawRect(c.rect);
    const QFontMetrics fm = fontMetrics();
    if (c.rect.height() < fm.height() || c.rect.width() < fm.horizontalAdvance(QStringLiteral("Wi…")))
        return;
    QString label = decodeFileName(n.name) + (c.leaf ? QString() : QStringLiteral("/"));
    if (c.hatched)
        label = WastedMark + label;
    const QRectF text = c.rect.adjusted(3, 1, -3, -1);
    label = fm.elidedText(label, Qt::ElideMiddle, int(text.width()));
    // On a hatched cell the label sits on a plain band, readable over the lines.
    const QRectF band(text.topLeft(), QSizeF(fm.horizontalAdvance(label) + 2, fm.height()));
    if (c.hatched)
        p.fillRect(band, fill);
    p.setPen(textOn(fill));
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop, label);
}

void AnalysisTreemap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (!m_tree || m_cells.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No files to show"));
        return;
    }
    for (const Cell &c : std::as_const(m_cells))
        paintCell(p, c);
}

void AnalysisTreemap::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void AnalysisTreemap::mousePressEvent(QMouseEvent *event)
{
    if (const int cell = cellAt(event->position()); cell >= 0)
        Q_EMIT pathClicked(decodeFileName(m_tree->node(m_cells[cell].node).path));
}

void AnalysisTreemap::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (const int cell = cellAt(event->position()); cell >= 0)
        Q_EMIT pathActivated(decodeFileName(m_tree->node(m_cells[cell].node).path));
}

bool AnalysisTreemap::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const int cell = cellAt(help->pos()); cell >= 0)
            QToolTip::showText(help->globalPos(), toolTipOf(cell), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace strata
