// SPDX-License-Identifier: GPL-2.0-or-later
#include "stackdiagram.h"

#include "ui/common/eventstyle.h"
#include "ui/common/ink.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace strata
{

namespace
{

// How far a plane's top edge is pushed right per pixel of its height: the oblique view of
// the classic figure, the same angle for every plane whatever its thickness.
constexpr double Slant = 0.5;
// A fold stands for at least this many lowers; one alone is simply drawn.
constexpr int MinFold = 2;
// Beside upper, work takes at most this share of the row: upper stays the larger plane.
constexpr double MaxWorkShare = 0.42;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return Ink::mix(a, b, t);
}

QColor whiteoutColour()
{
    return QColor(0xb7, 0x1c, 0x1c);
}

// The first wording that fits, else the last one cut short.
QString fitTag(const QStringList &variants, const QFontMetricsF &fm, double width)
{
    for (const QString &v : variants) {
        if (fm.horizontalAdvance(v) <= width)
            return v;
    }
    return variants.isEmpty() ? QString() : fm.elidedText(variants.last(), Qt::ElideRight, width);
}

// A parallelogram filling `r`, its top edge pushed right by `skew`.
QPolygonF parallelogram(const QRectF &r, double skew)
{
    return QPolygonF({QPointF(r.left(), r.bottom()),
        QPointF(r.right() - skew, r.bottom()),
        QPointF(r.right(), r.top()),
        QPointF(r.left() + skew, r.top())});
}

// The horizontal span inside a parallelogram over the text line [top, bottom].
std::pair<double, double> spanAt(const QRectF &r, double skew, double top, double bottom)
{
    const double h = std::max(1.0, r.height());
    const double left = r.left() + skew * (r.bottom() - top) / h;
    const double right = r.right() - skew + skew * (r.bottom() - bottom) / h;
    return {left, right};
}
} // namespace

StackDiagram::StackDiagram(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("stackDiagram"));
    setAccessibleName(tr("Stack diagram"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
}

StackDiagram::~StackDiagram() = default;

void StackDiagram::setPlanes(const QList<Plane> &planes)
{
    m_planes = planes;
    m_path.clear();
    m_provider = m_whiteoutIn = -1;
    m_shadowed.clear();
    invalidate();
    updateGeometry();
}

void StackDiagram::setHighlight(const QString &path, int provider, const QList<int> &shadowed, int whiteoutIn)
{
    const auto valid = [this](int i) {
        return i >= 0 && i < m_planes.size() ? i : -1;
    };
    m_path = path;
    m_provider = valid(provider);
    m_whiteoutIn = valid(whiteoutIn);
    m_shadowed.clear();
    for (int i : shadowed) {
        if (valid(i) >= 0 && i != m_provider)
            m_shadowed << i;
    }
    invalidate(); // a folded provider unfolds
}

void StackDiagram::clearHighlight()
{
    setHighlight({}, -1, {}, -1);
}

void StackDiagram::invalidate()
{
    m_dirty = true;
    update();
}

QList<int> StackDiagram::lowersTopFirst() const
{
    QList<int> lowers;
    for (int i = static_cast<int>(m_planes.size()) - 1; i >= 0; --i) {
        if (m_planes.at(i).role == LayerRole::Lower)
            lowers << i;
    }
    return lowers;
}

int StackDiagram::lowerNumber(int index) const
{
    int n = 0;
    for (int i = 0; i <= index && i < m_planes.size(); ++i) {
        if (m_planes.at(i).role == LayerRole::Lower)
            ++n;
    }
    return n;
}

QString StackDiagram::label(int index) const
{
    if (index < 0 || index >= m_planes.size())
        return {};
    const Plane &pl = m_planes.at(index);
    switch (pl.role) {
    case LayerRole::Lower:
        return tr("lower %1: %2").arg(lowerNumber(index)).arg(pl.name);
    case LayerRole::Upper:
        return tr("upper: %1").arg(pl.name);
    case LayerRole::Work:
        return pl.name.isEmpty() ? tr("work (staging)") : tr("work (staging): %1").arg(pl.name);
    case LayerRole::Merged:
        return tr("merged: %1").arg(pl.name);
    }
    return {};
}

QString StackDiagram::viaText(int index, bool dense) const
{
    if (index < 0 || index >= m_planes.size() || m_planes.at(index).via.isEmpty())
        return {};
    const Plane &pl = m_planes.at(index);
    // A plane that is the other overlay's mountpoint is its merged view; the layers of that
    // overlay, as the columns list them, are only seen through it.
    if (pl.name == pl.via)
        return dense ? tr("(its merged view)") : tr("= merged view of %1").arg(pl.via);
    return dense ? tr("(via %1)").arg(pl.via) : tr("through overlay %1").arg(pl.via);
}

QString StackDiagram::tagText(int index) const
{
    return tagVariants(index).value(0);
}

QStringList StackDiagram::tagVariants(int index) const
{
    // Work never provides nor hides anything in the merged view.
    if (m_path.isEmpty() || index < 0 || index >= m_planes.size() || m_planes.at(index).role == LayerRole::Work)
        return {};
    // Shorter wordings for narrow planes: the path becomes its file name, then "it"; the words stay.
    const QString file = QStringLiteral("…/") + m_path.section(QLatin1Char('/'), -1);
    if (index == m_provider)
        return {tr("✔ provides %1").arg(m_path), tr("✔ provides %1").arg(file), tr("✔ provides")};
    if (index == m_whiteoutIn)
        return {tr("† hides %1 below").arg(m_path),
            tr("† hides %1 below").arg(file),
            tr("† hides it below"),
            tr("† hides it")};
    if (m_shadowed.contains(index))
        return {tr("⊘ shadowed")};
    if (m_planes.at(index).role == LayerRole::Merged) {
        if (m_provider >= 0) {
            const QString from = m_planes.at(m_provider).name;
            return {tr("◉ shows %1 from %2").arg(m_path, from),
                tr("◉ shows %1 from %2").arg(file, from),
                tr("◉ shows %1").arg(file),
                tr("◉ shows it")};
        }
        if (m_whiteoutIn >= 0)
            return {tr("∅ %1 is not visible").arg(m_path), tr("∅ %1 is not visible").arg(file), tr("∅ not visible")};
    }
    return {};
}

QStringList StackDiagram::lines(int index) const
{
    if (index < 0 || index >= m_planes.size())
        return {};
    const Plane &pl = m_planes.at(index);
    QStringList l;
    if (pl.role == LayerRole::Work) {
        l << tr("work (staging)");
        if (!pl.name.isEmpty())
            l << pl.name;
    } else {
        l << label(index);
        if (pl.role == LayerRole::Merged)
            l << tr("merged view");
        else if (!pl.via.isEmpty())
            l << viaText(index, false);
    }
    if (const QString tag = tagText(index); !tag.isEmpty())
        l << tag;
    return l;
}

int StackDiagram::lineCount(int index) const
{
    const Plane &pl = m_planes.at(index);
    // A line for the title, one for the tag (kept even when empty, so choosing another path
    // never moves the planes); work has its name there instead.
    int n = 2;
    if (pl.role == LayerRole::Merged || !pl.via.isEmpty())
        ++n; // "merged view", "through overlay …"
    return n;
}

StackDiagram::Rows StackDiagram::rows(const QList<int> *kept, bool workBelow) const
{
    Rows r;
    QList<int> upperRow;
    for (int i = 0; i < m_planes.size(); ++i) {
        if (m_planes.at(i).role == LayerRole::Merged)
            r.append(Row {{i}, {}});
        else if (m_planes.at(i).role == LayerRole::Upper)
            upperRow.prepend(i);
        else if (m_planes.at(i).role == LayerRole::Work)
            upperRow.append(i);
    }
    if (upperRow.size() > 1 && workBelow)
        r.append(Row {{upperRow.takeFirst()}, {}}); // a narrow sidebar: work gets a row of its own
    if (!upperRow.isEmpty())
        r.append(Row {upperRow, {}});
    QList<int> run;
    const auto flush = [&r, &run] {
        if (run.size() >= MinFold)
            r.append(Row {{}, run});
        else
            for (int i : std::as_const(run))
                r.append(Row {{i}, {}});
        run.clear();
    };
    for (int i : lowersTopFirst()) {
        if (kept && !kept->contains(i)) {
            run << i;
            continue;
        }
        flush();
        r.append(Row {{i}, {}});
    }
    flush();
    return r;
}

bool StackDiagram::workFitsBeside() const
{
    return besideWidth() <= width();
}

double StackDiagram::besideWidth() const
{
    // Each plane's words whole beside the other: its role in bold, its name, and the room the
    // swatch, the padding and the slant take (as layoutRows() gives them).
    QFont bold = font();
    bold.setBold(true);
    QFont italic = font();
    italic.setItalic(true);
    const QFontMetricsF fm(font());
    const double lh = fm.height();
    double upper = 0;
    double work = 0;
    for (const Plane &pl : m_planes) {
        const bool isWork = pl.role == LayerRole::Work;
        if (pl.role != LayerRole::Upper && !isWork)
            continue;
        const double role = QFontMetricsF(bold).horizontalAdvance(
            EventStyle::roleGlyph(pl.role) + QLatin1Char(' ') + (isWork ? tr("work") : tr("upper:")));
        const double name = isWork ? QFontMetricsF(italic).horizontalAdvance(pl.name) : fm.horizontalAdvance(pl.name);
        (isWork ? work : upper)
            = std::max({role, name, isWork ? fm.horizontalAdvance(tr("(staging)")) : 0.0}) + lh * 2.6;
    }
    return std::max(work / MaxWorkShare, upper + work + lh * 0.4) + 2 * std::round(lh * 0.5);
}

int StackDiagram::rowLines(const Row &row, bool dense) const
{
    if (dense || row.planes.isEmpty())
        return 1;
    // Upper beside work gets a spare line to put its name under its role.
    int lines = row.planes.size() > 1 ? 3 : 1;
    for (int i : row.planes)
        lines = std::max(lines, lineCount(i));
    return lines;
}

// Tightness -1 is generous, 0 normal, 1 as thin as text allows.
double StackDiagram::rowHeight(const Row &row, bool dense, double tightness) const
{
    const double lh = fontMetrics().height();
    const int lines = rowLines(row, dense);
    const double pad = dense ? lh * (0.25 - 0.15 * tightness) : lh * (0.3 - 0.2 * tightness);
    return lines * lh + 2 * pad;
}

double StackDiagram::naturalHeight(const Rows &rows, bool dense, double tightness) const
{
    const double lh = fontMetrics().height();
    const double gap = dense ? lh * (0.35 - 0.22 * tightness) : lh * (0.6 - 0.45 * tightness);
    double h = 0;
    for (const Row &row : rows)
        h += rowHeight(row, dense, tightness);
    if (rows.size() > 1)
        h += gap * (rows.size() - 1);
    if (!rows.isEmpty() && !rows.first().planes.isEmpty()
        && m_planes.at(rows.first().planes.first()).role == LayerRole::Merged && rows.size() > 1)
        h += gap * 0.6; // the merged view stands a little apart
    return h;
}

void StackDiagram::ensureLayout() const
{
    if (!m_dirty)
        return;
    m_dirty = false;
    m_items.clear();
    if (m_planes.isEmpty())
        return;
    const double margin = std::round(fontMetrics().height() * 0.5);
    const double avail = height() - 2 * margin;
    // The tightness at which `rs` fills the height, if any in [-1, 1].
    const auto fit = [this, avail](const Rows &rs, bool dense) -> std::optional<double> {
        const double loose = naturalHeight(rs, dense, -1);
        const double tight = naturalHeight(rs, dense, 1);
        if (tight > avail)
            return std::nullopt;
        if (loose <= avail)
            return -1.0;
        return -1 + 2 * (loose - avail) / (loose - tight);
    };
    // Upper and work too narrow side by side for their names: work below upper (on the way a
    // copy-up takes), when the height allows it.
    const Rows all = rows();
    const Rows below = rows(nullptr, true);
    if (const auto t = fit(below, false); t && below.size() > all.size() && !workFitsBeside()) {
        layoutRows(below, false, *t);
        return;
    }
    if (const auto t = fit(all, false)) {
        layoutRows(all, false, *t);
        return;
    }
    if (const auto t = fit(all, true)) {
        layoutRows(all, true, *t);
        return;
    }
    // Too many layers: keep what the highlight concerns, then the bottom and top lowers
    // alternately (the base image and the layers nearest upper), and fold the middle.
    const QList<int> lowers = lowersTopFirst();
    QList<int> kept;
    for (int i : {m_provider, m_whiteoutIn}) {
        if (i >= 0 && m_planes.at(i).role == LayerRole::Lower && !kept.contains(i))
            kept << i;
    }
    QList<int> order;
    for (qsizetype k = 0; k < (lowers.size() + 1) / 2; ++k) {
        order << lowers.at(lowers.size() - 1 - k);
        if (k != lowers.size() - 1 - k)
            order << lowers.at(k);
    }
    for (int i : std::as_const(order)) {
        if (kept.contains(i))
            continue;
        kept << i;
        if (!fit(rows(&kept), true)) {
            kept.removeLast();
            break;
        }
    }
    const Rows folded = rows(&kept);
    layoutRows(folded, true, fit(folded, true).value_or(1.0));
}

void StackDiagram::layoutRows(const Rows &rows, bool dense, double tightness) const
{
    const QFontMetricsF fm(font());
    const double lh = fm.height();
    const double margin = std::round(lh * 0.5);
    const double gap = dense ? lh * (0.35 - 0.22 * tightness) : lh * (0.6 - 0.45 * tightness);
    const double left = margin;
    const double right = width() - margin;
    double y = margin;
    for (int r = 0; r < rows.size(); ++r) {
        const Row &row = rows.at(r);
        const double h = rowHeight(row, dense, tightness);
        const int lines = rowLines(row, dense);
        if (!row.folded.isEmpty()) {
            Item item;
            item.folded = row.folded;
            item.bounds = QRectF(left, y, right - left, h);
            item.shape = parallelogram(item.bounds, std::min(h * Slant, item.bounds.width() * 0.08));
            item.dense = true;
            item.lineSlots = 1;
            m_items.push_back(item);
        } else {
            // Upper takes what work leaves: work is a small plane beside it, wide enough for its title.
            const bool withWork = row.planes.size() > 1;
            const double sideGap = std::round(lh * 0.4);
            double workWidth = 0;
            if (withWork) {
                // Room for "⚙ work" over "(staging)" over its name, whole.
                QFont bold = font();
                bold.setBold(true);
                QFont italic = font();
                italic.setItalic(true);
                double words = std::max(
                    QFontMetricsF(bold).horizontalAdvance(tr("⚙ work")), fm.horizontalAdvance(tr("(staging)")));
                for (int i : row.planes) {
                    if (m_planes.at(i).role == LayerRole::Work)
                        words = std::max(words, QFontMetricsF(italic).horizontalAdvance(m_planes.at(i).name));
                }
                // swatch and its gap, padding on both sides, the slant, a little air
                const double needed
                    = words + lh * 0.9 + lh * 0.7 + std::min(h * Slant, (right - left) * 0.04) + lh * 0.5;
                workWidth = std::clamp(needed, (right - left) * 0.26, (right - left) * MaxWorkShare);
            }
            double x = left;
            for (int k = 0; k < row.planes.size(); ++k) {
                const int i = row.planes.at(k);
                const bool isWork = withWork && m_planes.at(i).role == LayerRole::Work;
                const double w = !withWork ? right - left : (isWork ? workWidth : right - left - workWidth - sideGap);
                Item item;
                item.plane = i;
                item.bounds = QRectF(x, y, w, h);
                item.shape = parallelogram(item.bounds, std::min(h * Slant, w * 0.1));
                item.dense = dense;
                item.lineSlots = dense ? 1 : lines;
                m_items.push_back(item);
                x += w + sideGap;
            }
        }
        y += h + gap;
        if (r == 0 && !row.planes.isEmpty() && m_planes.at(row.planes.first()).role == LayerRole::Merged)
            y += gap * 0.6;
    }
}

int StackDiagram::itemAt(const QPoint &pos) const
{
    ensureLayout();
    for (size_t k = 0; k < m_items.size(); ++k) {
        if (m_items[k].bounds.toAlignedRect().contains(pos))
            return static_cast<int>(k);
    }
    return -1;
}

int StackDiagram::planeAt(const QPoint &pos) const
{
    const int k = itemAt(pos);
    return k < 0 ? -1 : m_items[k].plane;
}

QRect StackDiagram::planeRect(int index) const
{
    ensureLayout();
    for (const Item &item : m_items) {
        if (item.plane == index && index >= 0)
            return item.bounds.toAlignedRect();
    }
    return {};
}

bool StackDiagram::isFolded(int index) const
{
    ensureLayout();
    return std::any_of(m_items.cbegin(), m_items.cend(), [index](const Item &it) { return it.folded.contains(index); });
}

QList<QRect> StackDiagram::foldRects() const
{
    ensureLayout();
    QList<QRect> rects;
    for (const Item &item : m_items) {
        if (item.plane < 0)
            rects << item.bounds.toAlignedRect();
    }
    return rects;
}

QStringList StackDiagram::foldTexts(const Item &item) const
{
    const int top = lowerNumber(item.folded.first());
    const int bottom = lowerNumber(item.folded.last());
    const QString count = tr("… %1 more layers").arg(item.folded.size());
    const QString range = tr(" (lower %1–%2)").arg(bottom).arg(top);
    const auto shadowed
        = std::count_if(item.folded.cbegin(), item.folded.cend(), [this](int i) { return m_shadowed.contains(i); });
    if (shadowed == 0)
        return {count + range, count};
    const QString grey = tr(" · %1 ⊘ shadowed").arg(shadowed);
    return {count + range + grey, count + grey, count + range, count};
}

QSize StackDiagram::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int margin = fm.height() / 2;
    // Wide enough for the longest title on one line, within a strip's bounds.
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    int text = 0;
    for (int i = 0; i < m_planes.size(); ++i) {
        if (m_planes.at(i).role != LayerRole::Work)
            text = std::max(text, bfm.horizontalAdvance(label(i)) + fm.height() * 3);
    }
    // And for upper's and work's names whole side by side.
    const int w = std::max(std::clamp(text, fm.averageCharWidth() * 38, fm.averageCharWidth() * 44) + 2 * margin,
        static_cast<int>(std::ceil(besideWidth())));
    Rows rs = rows();
    if (rs.size() > 12)
        rs.resize(12); // a Docker image asks for no more than a dozen planes; the rest fold
    return QSize(w, static_cast<int>(std::ceil(naturalHeight(rs, false, 0))) + 2 * margin);
}

QSize StackDiagram::minimumSizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int margin = fm.height() / 2;
    const int w = fm.averageCharWidth() * 26 + 2 * margin;
    // Merged, upper with work, and the lowers down to the bottom one past a fold.
    Rows rs = rows();
    if (rs.size() > 5)
        rs.resize(5);
    return QSize(w, static_cast<int>(std::ceil(naturalHeight(rs, true, 1))) + 2 * margin + 1);
}

bool StackDiagram::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int k = itemAt(help->pos());
        if (k < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const Item &item = m_items[k];
        QStringList tip;
        if (item.plane >= 0) {
            tip = lines(item.plane);
            tip.first() = label(item.plane);
        } else {
            tip << foldTexts(item).first();
            for (int i : item.folded.mid(0, 20))
                tip << label(i) + (m_shadowed.contains(i) ? tr("  ⊘ shadowed") : QString());
            if (item.folded.size() > 20)
                tip << QStringLiteral("…");
        }
        QToolTip::showText(help->globalPos(), tip.join(QLatin1Char('\n')), this);
        return true;
    }
    return QWidget::event(event);
}

void StackDiagram::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange
        || event->type() == QEvent::StyleChange) {
        invalidate();
        updateGeometry();
    }
    QWidget::changeEvent(event);
}

void StackDiagram::resizeEvent(QResizeEvent *event)
{
    m_dirty = true;
    QWidget::resizeEvent(event);
}

void StackDiagram::mouseMoveEvent(QMouseEvent *event)
{
    setCursor(planeAt(event->position().toPoint()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void StackDiagram::mousePressEvent(QMouseEvent *event)
{
    m_pressed = event->button() == Qt::LeftButton ? planeAt(event->position().toPoint()) : -1;
    QWidget::mousePressEvent(event);
}

void StackDiagram::mouseReleaseEvent(QMouseEvent *event)
{
    const int i = planeAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && i >= 0 && i == m_pressed)
        Q_EMIT planeClicked(i);
    m_pressed = -1;
    QWidget::mouseReleaseEvent(event);
}

void StackDiagram::paintEvent(QPaintEvent *)
{
    ensureLayout();
    m_cut.clear();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), palette().color(QPalette::Base));
    if (m_planes.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No overlay selected"));
        return;
    }
    // Bottom up, so a thick highlighted border is never covered by the plane below it.
    for (auto it = m_items.crbegin(); it != m_items.crend(); ++it) {
        if (it->plane < 0)
            paintFold(p, *it);
        else
            paintPlane(p, *it);
    }
}

QColor StackDiagram::paintPlaneShape(QPainter &p, const Item &item, const QColor &colour, double lh) const
{
    const QPalette &pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const bool merged = m_planes.at(item.plane).role == LayerRole::Merged;
    // The plane: a light tint of the layer's colour; the merged view is a dashed outline only.
    QColor fill = merged ? base : mix(base, colour, 0.22);
    QColor edge = merged ? text : colour.darker(140);
    if (m_shadowed.contains(item.plane)) {
        const int grey = qGray(fill.rgb());
        fill = mix(base, QColor(grey, grey, grey), 0.5);
        edge = mix(text, base, 0.55);
    }
    QPen pen(edge, std::max(1.0, lh / 14));
    if (merged) {
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(std::max(1.5, lh / 10));
    }
    if (item.plane == m_whiteoutIn) {
        pen.setColor(whiteoutColour());
        pen.setWidthF(std::max(2.0, lh / 7));
    }
    if (item.plane == m_provider) {
        pen.setColor(pal.color(QPalette::Highlight));
        pen.setWidthF(std::max(2.5, lh / 5.5));
        pen.setStyle(Qt::SolidLine);
    }
    pen.setJoinStyle(Qt::MiterJoin);
    p.setPen(pen);
    p.setBrush(fill);
    p.drawPolygon(item.shape);
    return fill;
}

void StackDiagram::paintTagChip(QPainter &p, const QRectF &chip, const QString &text, const QColor &edge) const
{
    const double lh = QFontMetricsF(font()).height();
    p.setPen(QPen(edge, std::max(1.0, lh / 12)));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(chip, lh * 0.25, lh * 0.25);
    p.setFont(font());
    p.setPen(palette().color(QPalette::Text));
    p.drawText(chip, Qt::AlignCenter, text);
}

void StackDiagram::paintPlane(QPainter &p, const Item &item) const
{
    const Plane &pl = m_planes.at(item.plane);
    const QPalette &pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor colour = pl.colour.isValid() ? pl.colour : pal.color(QPalette::Mid);
    const QFontMetricsF fm(font());
    const double lh = fm.height();
    const double skew = item.shape.at(2).x() - item.shape.at(1).x();
    const bool provider = item.plane == m_provider;
    const bool shadowed = m_shadowed.contains(item.plane);
    const bool hides = item.plane == m_whiteoutIn;
    const bool merged = pl.role == LayerRole::Merged;

    p.save();
    const QColor fill = paintPlaneShape(p, item, colour, lh);
    // Dimmed when shadowed, and readable on the plane's tint whatever the palette.
    const QColor ink = Ink::readable(shadowed ? mix(text, base, 0.45) : text, fill);

    // The words, each line inside the slanted edges.
    QStringList extra = lines(item.plane);
    const QString title = extra.takeFirst();
    const QString tag = tagText(item.plane);
    if (!tag.isEmpty())
        extra.removeLast();
    const QRectF &b = item.bounds;
    const double hpad = lh * 0.35;
    const auto span = [&](double top) {
        const auto [l, r] = spanAt(b, skew, top, top + lh);
        return std::pair {l + hpad, r - hpad};
    };
    QFont bold = font();
    bold.setBold(true);
    const QFontMetricsF bfm(bold);

    // The title is the role in bold ("upper:", "work") and the name ("upper_layer", "(staging)").
    qsizetype cut = title.indexOf(QLatin1String(": "));
    cut = cut >= 0 ? cut + 1 : title.indexOf(QLatin1String(" ("));
    const QString role = cut < 0 ? title : title.left(cut);
    QString name = cut < 0 ? QString() : title.mid(cut).trimmed();
    if (item.dense && !pl.via.isEmpty())
        name += QLatin1Char(' ') + viaText(item.plane, true);
    const double sw = std::round(lh * 0.6);
    const QString g = EventStyle::roleGlyph(pl.role) + QLatin1Char(' ');
    const double lead = (merged ? 0 : sw + lh * 0.3) + fm.horizontalAdvance(g);
    const int content = 1 + static_cast<int>(extra.size()) + (pl.role == LayerRole::Work ? 0 : 1);
    int used = item.dense ? 1 : content;
    // Beside work, upper may be too narrow for "upper: upper_layer" on one line; its row has a spare line.
    bool wrap = false;
    if (!item.dense && !name.isEmpty() && item.lineSlots > content) {
        const auto [l, r] = span(b.top() + (b.height() - (content + 1) * lh) / 2);
        wrap = l + lead + bfm.horizontalAdvance(role + QLatin1Char(' ')) + fm.horizontalAdvance(name) > r;
        used += wrap ? 1 : 0;
    }
    double lineTop = b.top() + (b.height() - used * lh) / 2;
    auto [x0, x1] = span(lineTop);
    QRectF chip;
    QString chipText;
    if (item.dense && !tag.isEmpty()) {
        // One line: the tag becomes a chip at the right end and the title gives way.
        chipText = fitTag(tagVariants(item.plane), fm, (x1 - x0) * 0.45 - lh * 0.6);
        const double cw = fm.horizontalAdvance(chipText) + lh * 0.6;
        chip = QRectF(x1 - cw, lineTop + 1, cw, lh - 2);
        x1 = chip.left() - lh * 0.25;
    }
    const QRectF swatch(x0, lineTop + (lh - sw) / 2, sw, sw);
    if (!merged) {
        p.setPen(QPen(ink, 1));
        p.setBrush(shadowed ? fill : colour);
        p.drawRect(swatch);
    }
    const double baseline = fm.ascent();
    double x = x0 + lead - fm.horizontalAdvance(g);
    const double textStart = x;
    p.setPen(ink);
    p.setFont(font());
    p.drawText(QPointF(x, lineTop + baseline), g);
    x += fm.horizontalAdvance(g);
    p.setFont(bold);
    const QString shownRole = elided(bfm, role, Qt::ElideRight, std::max(0.0, x1 - x));
    p.drawText(QPointF(x, lineTop + baseline), shownRole);
    x += bfm.horizontalAdvance(shownRole + QLatin1Char(' '));
    p.setFont(font());
    if (wrap) {
        lineTop += lh;
        const auto [l, r] = span(lineTop);
        x = l + (textStart - x0); // lines follow the slanted edge
        x1 = r;
    }
    if (!name.isEmpty() && x < x1)
        p.drawText(QPointF(x, lineTop + baseline), elided(fm, name, Qt::ElideMiddle, x1 - x));

    if (!item.dense) {
        QFont italic = font();
        italic.setItalic(true);
        const QFontMetricsF ifm(italic);
        p.setFont(italic);
        p.setPen(merged || shadowed ? ink : mix(text, base, 0.15));
        for (const QString &e : std::as_const(extra)) {
            lineTop += lh;
            const auto [l, r] = span(lineTop);
            const double at = l + (textStart - x0);
            p.drawText(QPointF(at, lineTop + ifm.ascent()),
                elided(ifm, e, pl.role == LayerRole::Work ? Qt::ElideRight : Qt::ElideMiddle, r - at));
        }
        if (!tag.isEmpty()) {
            lineTop += lh;
            const auto [l, r] = span(lineTop);
            const double at = l + (textStart - x0) - lh * 0.3;
            chipText = fitTag(tagVariants(item.plane), fm, r - at - lh * 0.6);
            chip = QRectF(at, lineTop + 1, fm.horizontalAdvance(chipText) + lh * 0.6, lh - 2);
        }
    }
    if (!chipText.isEmpty())
        paintTagChip(p,
            chip,
            chipText,
            provider    ? pal.color(QPalette::Highlight)
                : hides ? whiteoutColour()
                        : mix(text, base, 0.4));
    p.restore();
}

QString StackDiagram::elided(const QFontMetricsF &fm, const QString &text, Qt::TextElideMode mode, double width) const
{
    QString shown = fm.elidedText(text, mode, width);
    if (shown != text)
        m_cut << text;
    return shown;
}

void StackDiagram::paintFold(QPainter &p, const Item &item) const
{
    const QPalette &pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QFontMetricsF fm(font());
    const double lh = fm.height();
    p.save();
    // A short pile of planes reads as "many layers here"; all of it stays inside the bounds.
    const double step = std::max(2.0, std::round(lh * 0.12));
    const QRectF b = item.bounds;
    const QRectF front(b.left(), b.top() + 2 * step, b.width() - 2 * step, b.height() - 2 * step);
    const double skew = std::min(front.height() * Slant, front.width() * 0.08);
    for (int k = 2; k >= 0; --k) {
        p.setBrush(mix(base, text, 0.04 + 0.02 * k));
        p.setPen(QPen(mix(text, base, k == 0 ? 0.3 : 0.55), 1, k == 0 ? Qt::DotLine : Qt::SolidLine));
        p.drawPolygon(parallelogram(front.translated(k * step, -k * step), skew));
    }
    QFont italic = font();
    italic.setItalic(true);
    p.setFont(italic);
    p.setPen(text);
    const QFontMetricsF ifm(italic);
    auto [x0, x1] = spanAt(front, skew, front.top(), front.bottom());
    // The longest wording that fits: with the range of lowers and how many are shadowed.
    const QStringList texts = foldTexts(item);
    QString shown;
    for (const QString &t : texts) {
        if (ifm.horizontalAdvance(t) <= x1 - x0 - lh * 0.6) {
            shown = t;
            break;
        }
    }
    if (shown.isEmpty())
        shown = elided(ifm, texts.last(), Qt::ElideRight, x1 - x0 - lh * 0.6);
    p.drawText(QRectF(x0, front.top(), x1 - x0, front.height()), Qt::AlignCenter, shown);
    p.restore();
}

} // namespace strata
