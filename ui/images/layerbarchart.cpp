// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/layerbarchart.h"

#include "ui/images/storeformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace strata
{

namespace
{
constexpr int Margin = 6;
}

LayerBarChart::LayerBarChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void LayerBarChart::setBars(const QVector<Bar> &bars)
{
    m_bars = bars;
    m_selected = std::min<int>(m_selected, int(bars.size()) - 1);
    updateGeometry();
    update();
}

void LayerBarChart::setSelected(int bar)
{
    m_selected = bar;
    update();
}

int LayerBarChart::rowHeight() const
{
    return fontMetrics().height() + 8;
}

// The labels take up to 55 % of the width; the rest is the bars and their sizes.
int LayerBarChart::labelWidth() const
{
    int widest = 0;
    for (const Bar &b : m_bars)
        widest = std::max(widest, fontMetrics().horizontalAdvance(b.label));
    return std::min(widest + Margin, width() * 55 / 100);
}

QSize LayerBarChart::sizeHint() const
{
    return {640, int(m_bars.size()) * rowHeight() + 2 * Margin};
}

QSize LayerBarChart::minimumSizeHint() const
{
    return {320, sizeHint().height()};
}

int LayerBarChart::barAt(const QPoint &pos) const
{
    const int row = (pos.y() - Margin) / rowHeight();
    return pos.y() >= Margin && row < m_bars.size() ? row : -1;
}

void LayerBarChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    qint64 largest = 1;
    for (const Bar &b : std::as_const(m_bars))
        largest = std::max(largest, b.size);
    const int h = rowHeight();
    const int labels = labelWidth();
    const int sizeText = fontMetrics().horizontalAdvance(QStringLiteral("0000.0 MB")) + Margin;
    const int barRoom = std::max(10, width() - labels - sizeText - 3 * Margin);
    for (int i = 0; i < m_bars.size(); ++i) {
        const Bar &b = m_bars[i];
        const QRect row(0, Margin + i * h, width(), h);
        if (i == m_selected)
            p.fillRect(row, pal.color(QPalette::Highlight));
        const QColor text = pal.color(i == m_selected ? QPalette::HighlightedText : QPalette::WindowText);
        p.setPen(text);
        const QRect label(Margin, row.top(), labels - Margin, h);
        p.drawText(
            label, Qt::AlignLeft | Qt::AlignVCenter, fontMetrics().elidedText(b.label, Qt::ElideRight, label.width()));
        const int length = int(double(b.size) / double(largest) * barRoom);
        const QRect bar(labels + Margin, row.top() + 3, std::max(length, b.size > 0 ? 2 : 0), h - 6);
        p.fillRect(bar, i == m_selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Highlight));
        p.setPen(text);
        p.drawText(QRect(bar.right() + Margin, row.top(), sizeText, h),
            Qt::AlignLeft | Qt::AlignVCenter,
            StoreFormat::size(b.size));
    }
}

void LayerBarChart::mousePressEvent(QMouseEvent *event)
{
    if (const int bar = barAt(event->position().toPoint()); bar >= 0) {
        setSelected(bar);
        Q_EMIT barClicked(bar);
    }
}

bool LayerBarChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const int bar = barAt(help->pos()); bar >= 0)
            QToolTip::showText(
                help->globalPos(), tr("%1\n%2").arg(m_bars[bar].label, StoreFormat::exactSize(m_bars[bar].size)), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace strata
