// SPDX-License-Identifier: GPL-2.0-or-later
#include "eventanimator.h"

#include "ui/stage/layercolumns.h"

#include <QEasingCurve>
#include <QPainter>
#include <QPainterPath>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

namespace strata
{

namespace
{
using Shape = EventAnimator::Part::Shape;

// At 1x an event takes this long: shorter than its caption, so each movement ends while
// its sentence is still on screen.
constexpr int BaseDurationMs = 1400;

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

// A rounded label with a border in the event's colour; its words carry the meaning.
void drawChip(QPainter &p, QPointF centre, const QString &text, const QColor &colour, double opacity, double scale = 1)
{
    p.save();
    p.setOpacity(opacity);
    QFont f = p.font();
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QSizeF size(fm.horizontalAdvance(text) + 16, fm.height() + 8);
    // Whole, even at the edges of the columns.
    const QRectF bounds = QRectF(p.window()).adjusted(2, 2, -2, -2);
    const double halfW = size.width() * scale / 2;
    if (bounds.width() > 2 * halfW)
        centre.setX(std::clamp(centre.x(), bounds.left() + halfW, bounds.right() - halfW));
    p.translate(centre);
    p.scale(scale, scale);
    const QRectF r(-size.width() / 2, -size.height() / 2, size.width(), size.height());
    p.setPen(QPen(colour, 2));
    p.setBrush(QColor(255, 255, 255, 235));
    p.drawRoundedRect(r, 6, 6);
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(r, Qt::AlignCenter, text);
    p.restore();
}

QPointF along(const QList<QPointF> &points, double t)
{
    if (points.size() == 1)
        return points.first();
    double total = 0;
    for (int i = 1; i < points.size(); ++i)
        total += QLineF(points.at(i - 1), points.at(i)).length();
    double want = t * total;
    for (int i = 1; i < points.size(); ++i) {
        const QLineF seg(points.at(i - 1), points.at(i));
        if (want <= seg.length() || i == points.size() - 1)
            return seg.length() > 0 ? seg.pointAt(clamp01(want / seg.length())) : seg.p2();
        want -= seg.length();
    }
    return points.last();
}
} // namespace

EventAnimator::EventAnimator(LayerColumns *columns)
    : QWidget(columns), m_columns(columns), m_anim(new QVariantAnimation(this))
{
    setObjectName(QStringLiteral("eventAnimator"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    m_anim->setStartValue(0.0);
    m_anim->setEndValue(1.0);
    connect(m_anim, &QVariantAnimation::valueChanged, this, [this](const QVariant &v) {
        m_progress = v.toDouble();
        update();
    });
    connect(m_anim, &QVariantAnimation::finished, this, [this] {
        m_progress = 1.0;
        update();
        Q_EMIT finished();
    });
}

EventAnimator::~EventAnimator() = default;

void EventAnimator::setSpeed(double factor)
{
    m_speed = factor;
    if (m_speed <= 0) {
        m_anim->stop();
        m_current.reset();
        update();
    }
}

void EventAnimator::stop()
{
    m_anim->stop();
    m_current.reset();
    update();
}

bool EventAnimator::isRunning() const
{
    return m_anim->state() == QAbstractAnimation::Running;
}

EventAnimator::Animation EventAnimator::plan(const OverlayEvent &e) const
{
    AnimationPlan p;
    p.event = e;
    p.upper = m_columns->findColumn(LayerRole::Upper, e.toLayer);
    if (!e.toLayer.isEmpty() && p.upper < 0 && e.kind != OverlayEvent::Kind::WorkTemp)
        return {e, {}}; // an event of another overlay than the one on the columns
    p.work = m_columns->findColumn(LayerRole::Work);
    p.merged = m_columns->findColumn(LayerRole::Merged);
    p.lower = e.fromLayer.isEmpty() ? -1 : m_columns->findColumn(LayerRole::Lower, e.fromLayer);
    if (p.lower >= 0 && m_columns->role(p.lower) != LayerRole::Lower)
        p.lower = -1;
    for (int c = 0; c < m_columns->columnCount(); ++c) {
        if (m_columns->role(c) == LayerRole::Lower && m_columns->hasPath(c, e.path))
            p.lowersWith << c;
    }
    if (p.lower < 0 && !p.lowersWith.isEmpty())
        p.lower = p.lowersWith.last(); // the topmost lower that has it
    p.staged = !m_history.isEmpty() && m_history.last().event.kind == OverlayEvent::Kind::WorkTemp
        && m_history.last().event.path == e.path;
    p.lowerWith = [this](const QString &path) {
        int found = -1;
        for (int c = 0; c < m_columns->columnCount(); ++c) {
            if (m_columns->role(c) == LayerRole::Lower && m_columns->hasPath(c, path))
                found = c;
        }
        return found;
    };
    EventStyle::of(e.kind).plan(p);
    return {e, p.parts};
}

void EventAnimator::animate(const OverlayEvent &event, int durationMs)
{
    if (m_speed <= 0)
        return;
    Animation a = plan(event);
    if (a.parts.isEmpty())
        return;
    m_current = a;
    m_history.append(a);
    if (m_history.size() > 100)
        m_history.removeFirst();
    setGeometry(m_columns->rect());
    raise();
    m_anim->stop();
    m_anim->setDuration(durationMs > 0 ? durationMs : static_cast<int>(BaseDurationMs / m_speed));
    m_anim->setEasingCurve(QEasingCurve::Linear);
    m_progress = 0;
    m_anim->start();
}

QRect EventAnimator::rowOrTop(int column, const QString &path) const
{
    if (!path.isEmpty()) {
        const QRect r = m_columns->rowRect(column, path);
        if (!r.isEmpty())
            return r;
    }
    // The entry has no row there (work is empty again once the copy moved on): the top of the column.
    const QRect body = m_columns->bodyRect(column);
    const int h = fontMetrics().height() + 6;
    return QRect(body.left(), body.top() + h, body.width(), h);
}

void EventAnimator::paintEvent(QPaintEvent *)
{
    if (!m_current || m_progress >= 1.0)
        return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    for (const Part &part : m_current->parts) {
        const double t = clamp01((m_progress - part.start) / (1.0 - part.start));
        if (m_progress < part.start)
            continue;
        paintPart(p, part, t);
    }
}

void EventAnimator::paintPart(QPainter &p, const Part &part, double t) const
{
    Stroke k;
    k.t = t;
    k.colour = EventStyle::of(m_current->event.kind).colour;
    // In for the first fifth, out for the last: nothing is left on the columns afterwards.
    k.fade = t < 0.15 ? t / 0.15 : t > 0.85 ? (1.0 - t) / 0.15 : 1.0;
    k.first = rowOrTop(part.columns.first(), part.paths.value(0));
    switch (part.shape) {
    case Shape::Travel:
        paintTravel(p, part, k);
        return;
    case Shape::Tombstone:
        paintTombstone(p, part, k);
        return;
    case Shape::GreyOut:
        paintGreyOut(p, part, k);
        return;
    case Shape::Curtain:
        paintCurtain(p, part, k);
        return;
    case Shape::Arrow:
        paintArrow(p, part, k);
        return;
    case Shape::Appear:
        paintAppear(p, part, k);
        return;
    case Shape::Vanish:
        paintVanish(p, part, k);
        return;
    case Shape::Pulse:
        paintPulse(p, part, k);
        return;
    }
}

void EventAnimator::paintTravel(QPainter &p, const Part &part, const Stroke &k) const
{
    QList<QPointF> points;
    for (int i = 0; i < part.columns.size(); ++i) {
        const QRect r = rowOrTop(part.columns.at(i), part.paths.value(i));
        points << QPointF(r.left() + std::min(r.width() / 2, 90), r.center().y());
    }
    // The route, faint, so the eye knows where it goes.
    p.save();
    p.setOpacity(0.5 * k.fade);
    p.setPen(QPen(k.colour, 2, Qt::DashLine));
    for (int i = 1; i < points.size(); ++i)
        p.drawLine(points.at(i - 1), points.at(i));
    p.restore();
    const double moving = QEasingCurve(QEasingCurve::InOutCubic).valueForProgress(clamp01((k.t - 0.1) / 0.75));
    const QRect dest = rowOrTop(part.columns.last(), part.paths.value(part.paths.size() - 1));
    if (moving < 1.0 && !part.paths.constLast().isEmpty()) {
        // The copy is not there yet: its row waits, blank, for the chip to land.
        p.fillRect(dest, palette().color(QPalette::Base));
    }
    if (moving >= 1.0) {
        p.save();
        p.setOpacity(k.fade);
        p.setPen(QPen(k.colour, 3));
        p.setBrush(Qt::NoBrush);
        p.drawRect(dest.adjusted(1, 1, -1, -1));
        p.restore();
    }
    drawChip(p, along(points, moving), part.label, k.colour, k.fade);
}

void EventAnimator::paintTombstone(QPainter &p, const Part &part, const Stroke &k) const
{
    // Drops in from above, large, and settles on the row.
    const double drop = QEasingCurve(QEasingCurve::OutBounce).valueForProgress(clamp01(k.t / 0.5));
    const QPointF at(k.first.left() + std::min(k.first.width() / 2, 80), k.first.center().y() - (1 - drop) * 60);
    if (drop < 1.0)
        p.fillRect(k.first, palette().color(QPalette::Base)); // the whiteout is not there yet
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 3));
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, at, part.label, k.colour, k.fade, 1.0 + 0.6 * (1 - drop));
}

void EventAnimator::paintGreyOut(QPainter &p, const Part &part, const Stroke &k) const
{
    p.save();
    p.setOpacity(k.fade);
    p.fillRect(k.first, QColor(128, 128, 128, static_cast<int>(150 * clamp01(k.t * 2))));
    p.setPen(QPen(k.colour, 2));
    const int y = k.first.center().y();
    p.drawLine(
        k.first.left() + 4, y, k.first.left() + 4 + static_cast<int>((k.first.width() - 8) * clamp01(k.t * 2)), y);
    p.restore();
    drawChip(p, QPointF(k.first.right() - 60, k.first.center().y()), part.label, k.colour, k.fade * 0.95, 0.85);
}

void EventAnimator::paintCurtain(QPainter &p, const Part &part, const Stroke &k) const
{
    const QRect area = m_columns->subtreeRect(part.columns.first(), part.paths.value(0));
    if (area.isEmpty())
        return;
    QRect curtain = area;
    curtain.setHeight(std::max(4, static_cast<int>(area.height() * clamp01(k.t / 0.6))));
    p.save();
    p.setOpacity(k.fade);
    p.fillRect(curtain, QColor(k.colour.red(), k.colour.green(), k.colour.blue(), 60));
    p.fillRect(curtain, QBrush(k.colour, Qt::BDiagPattern));
    p.setPen(QPen(k.colour, 3));
    p.drawLine(curtain.bottomLeft(), curtain.bottomRight());
    p.restore();
    drawChip(p, QPointF(curtain.center().x(), curtain.bottom() - 4), part.label, k.colour, k.fade, 0.9);
}

void EventAnimator::paintArrow(QPainter &p, const Part &part, const Stroke &k) const
{
    const QRect to = rowOrTop(part.columns.value(1), part.paths.value(1));
    const QPointF a(k.first.left() + 10, k.first.center().y());
    const QPointF b(to.left() + std::min(to.width() / 2, 90), to.center().y());
    const QPointF tip = a + (b - a) * clamp01(k.t / 0.6);
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 3));
    QPainterPath curve(a);
    const QPointF bend((a.x() + tip.x()) / 2, std::min(a.y(), tip.y()) - 30);
    curve.quadTo(bend, tip);
    p.setBrush(Qt::NoBrush);
    p.drawPath(curve);
    const QLineF last(bend, tip);
    const double angle = std::atan2(-last.dy(), last.dx());
    QPolygonF head;
    head << tip << tip - QPointF(std::cos(angle - 0.5) * 12, -std::sin(angle - 0.5) * 12)
         << tip - QPointF(std::cos(angle + 0.5) * 12, -std::sin(angle + 0.5) * 12);
    p.setBrush(k.colour);
    p.drawPolygon(head);
    p.restore();
    drawChip(p, bend, part.label, k.colour, k.fade, 0.9);
}

void EventAnimator::paintAppear(QPainter &p, const Part &part, const Stroke &k) const
{
    p.save();
    p.setOpacity(k.fade);
    p.fillRect(k.first, QColor(k.colour.red(), k.colour.green(), k.colour.blue(), static_cast<int>(110 * k.fade)));
    p.setPen(QPen(k.colour, 2));
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, QPointF(k.first.right() - 60, k.first.center().y()), part.label, k.colour, k.fade, 0.85);
}

void EventAnimator::paintVanish(QPainter &p, const Part &part, const Stroke &k) const
{
    const QPointF at(k.first.left() + std::min(k.first.width() / 2, 90), k.first.bottom() + 8 - 20 * k.t);
    drawChip(p, at, part.label, k.colour, 1.0 - k.t);
}

void EventAnimator::paintPulse(QPainter &p, const Part &part, const Stroke &k) const
{
    const double beat = 0.5 + 0.5 * std::sin(k.t * 3 * 2 * M_PI);
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 2 + 2 * beat));
    p.setBrush(Qt::NoBrush);
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, QPointF(k.first.right() - 60, k.first.center().y()), part.label, k.colour, k.fade, 0.85);
}

} // namespace strata
