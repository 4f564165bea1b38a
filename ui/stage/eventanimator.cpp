// SPDX-License-Identifier: GPL-2.0-or-later
#include "eventanimator.h"

#include "ui/stage/layercolumns.h"

#include <QEasingCurve>
#include <QFileInfo>
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

QColor kindColour(OverlayEvent::Kind kind)
{
    switch (kind) {
    case OverlayEvent::Kind::CopyUp:
    case OverlayEvent::Kind::Metacopy:
        return QColor(0x15, 0x65, 0xc0);
    case OverlayEvent::Kind::Whiteout:
        return QColor(0xb7, 0x1c, 0x1c);
    case OverlayEvent::Kind::Opaque:
        return QColor(0x6a, 0x1b, 0x9a);
    case OverlayEvent::Kind::Redirect:
        return QColor(0xe6, 0x51, 0x00);
    case OverlayEvent::Kind::Created:
        return QColor(0x2e, 0x7d, 0x32);
    case OverlayEvent::Kind::Removed:
        return QColor(0x61, 0x61, 0x61);
    case OverlayEvent::Kind::WorkTemp:
        return QColor(0x00, 0x83, 0x8f);
    default:
        return QColor(0x8a, 0x6d, 0x00);
    }
}

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

QString baseName(const QString &path)
{
    const QString n = QFileInfo(path).fileName();
    return n.isEmpty() ? QStringLiteral("/") : n;
}

QString parentPath(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
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

QString EventAnimator::shapeName(Part::Shape shape)
{
    switch (shape) {
    case Shape::Travel:
        return QStringLiteral("Travel");
    case Shape::Tombstone:
        return QStringLiteral("Tombstone");
    case Shape::GreyOut:
        return QStringLiteral("GreyOut");
    case Shape::Curtain:
        return QStringLiteral("Curtain");
    case Shape::Arrow:
        return QStringLiteral("Arrow");
    case Shape::Appear:
        return QStringLiteral("Appear");
    case Shape::Vanish:
        return QStringLiteral("Vanish");
    case Shape::Pulse:
        return QStringLiteral("Pulse");
    }
    return {};
}

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
    Animation a {e, {}};
    const int upper = m_columns->findColumn(LayerRole::Upper, e.toLayer);
    if (!e.toLayer.isEmpty() && upper < 0 && e.kind != OverlayEvent::Kind::WorkTemp)
        return a; // an event of another overlay than the one on the columns
    const int work = m_columns->findColumn(LayerRole::Work);
    const int merged = m_columns->findColumn(LayerRole::Merged);
    int lower = e.fromLayer.isEmpty() ? -1 : m_columns->findColumn(LayerRole::Lower, e.fromLayer);
    if (lower >= 0 && m_columns->role(lower) != LayerRole::Lower)
        lower = -1;
    QList<int> lowersWith; // every lower column that has the path (the entries it hides)
    for (int c = 0; c < m_columns->columnCount(); ++c) {
        if (m_columns->role(c) == LayerRole::Lower && m_columns->hasPath(c, e.path))
            lowersWith << c;
    }
    if (lower < 0 && !lowersWith.isEmpty())
        lower = lowersWith.last(); // the topmost lower that has it
    const QString name = baseName(e.path);
    auto add = [&a](Shape shape, QList<int> cols, QStringList paths, const QString &label, double start = 0) {
        if (cols.contains(-1))
            return;
        a.parts.append({shape, std::move(cols), std::move(paths), label, start});
    };

    switch (e.kind) {
    case OverlayEvent::Kind::WorkTemp:
        if (lower >= 0)
            add(Shape::Travel, {lower, work}, {e.path, QString()}, tr("⚙ %1 → work").arg(name));
        else
            add(Shape::Appear, {work}, {QString()}, tr("⚙ %1 staged in work").arg(name));
        break;
    case OverlayEvent::Kind::CopyUp:
    case OverlayEvent::Kind::Metacopy: {
        const QString label = e.kind == OverlayEvent::Kind::Metacopy ? tr("↑ metacopy %1 (metadata only)").arg(name)
                                                                     : tr("↑ copy-up %1").arg(name);
        // Right after its work_temp the copy is already in work: it goes on from there.
        const bool staged = !m_history.isEmpty() && m_history.last().event.kind == OverlayEvent::Kind::WorkTemp
            && m_history.last().event.path == e.path;
        if (staged && work >= 0)
            add(Shape::Travel, {work, upper}, {QString(), e.path}, label);
        else if (work >= 0 && lower >= 0)
            add(Shape::Travel, {lower, work, upper}, {e.path, QString(), e.path}, label);
        else if (lower >= 0)
            add(Shape::Travel, {lower, upper}, {e.path, e.path}, label);
        add(Shape::Pulse, {merged}, {e.path}, tr("now from %1").arg(e.toLayer), 0.75);
        break;
    }
    case OverlayEvent::Kind::Whiteout:
        add(Shape::Tombstone, {upper}, {e.path}, tr("† whiteout 0/0"));
        for (int c : lowersWith)
            add(Shape::GreyOut, {c}, {e.path}, tr("hidden"), 0.3);
        add(Shape::GreyOut, {merged}, {e.path}, tr("gone from merged"), 0.55);
        break;
    case OverlayEvent::Kind::Opaque:
        add(Shape::Pulse, {upper}, {e.path}, tr("▦ opaque=y"));
        for (int c : lowersWith)
            add(Shape::Curtain, {c}, {e.path}, tr("▦ hidden by opaque %1").arg(name), 0.2);
        break;
    case OverlayEvent::Kind::Redirect: {
        // The kernel's redirect is relative to the parent when the name alone changed.
        const QString oldPath = e.fromPath.startsWith(QLatin1Char('/'))
            ? e.fromPath
            : (parentPath(e.path) == QStringLiteral("/") ? QString() : parentPath(e.path)) + QLatin1Char('/')
                + e.fromPath;
        int old = -1;
        for (int c = 0; c < m_columns->columnCount(); ++c) {
            if (m_columns->role(c) == LayerRole::Lower && m_columns->hasPath(c, oldPath))
                old = c;
        }
        if (old >= 0 && !e.fromPath.isEmpty())
            add(Shape::Arrow, {upper, old}, {e.path, oldPath}, tr("↪ redirect → %1").arg(oldPath));
        else
            add(Shape::Pulse, {upper}, {e.path}, tr("↪ redirect"));
        break;
    }
    case OverlayEvent::Kind::Created:
        add(Shape::Appear, {upper}, {e.path}, tr("✚ created"));
        add(Shape::Appear, {merged}, {e.path}, tr("✚ new"), 0.3);
        break;
    case OverlayEvent::Kind::Removed:
        add(Shape::Vanish, {upper}, {parentPath(e.path)}, tr("✖ %1").arg(name));
        add(Shape::Vanish, {merged}, {parentPath(e.path)}, tr("✖ %1").arg(name), 0.2);
        break;
    case OverlayEvent::Kind::Renamed:
        add(Shape::Appear, {upper}, {e.path}, tr("✎ renamed from %1").arg(baseName(e.fromPath)));
        add(Shape::Appear, {merged}, {e.path}, tr("✎ renamed"), 0.3);
        break;
    case OverlayEvent::Kind::Modified:
        add(Shape::Pulse, {upper}, {e.path}, tr("✎ modified"));
        break;
    }
    return a;
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

void EventAnimator::paintPart(QPainter &p, const Part &part, double t)
{
    const QColor colour = kindColour(m_current->event.kind);
    // In for the first fifth, out for the last: nothing is left on the columns afterwards.
    const double fade = t < 0.15 ? t / 0.15 : t > 0.85 ? (1.0 - t) / 0.15 : 1.0;
    const QRect first = rowOrTop(part.columns.first(), part.paths.value(0));
    switch (part.shape) {
    case Shape::Travel: {
        QList<QPointF> points;
        for (int i = 0; i < part.columns.size(); ++i) {
            const QRect r = rowOrTop(part.columns.at(i), part.paths.value(i));
            points << QPointF(r.left() + std::min(r.width() / 2, 90), r.center().y());
        }
        // The route, faint, so the eye knows where it goes.
        p.save();
        p.setOpacity(0.5 * fade);
        p.setPen(QPen(colour, 2, Qt::DashLine));
        for (int i = 1; i < points.size(); ++i)
            p.drawLine(points.at(i - 1), points.at(i));
        p.restore();
        const double moving = QEasingCurve(QEasingCurve::InOutCubic).valueForProgress(clamp01((t - 0.1) / 0.75));
        const QRect dest = rowOrTop(part.columns.last(), part.paths.value(part.paths.size() - 1));
        if (moving < 1.0 && !part.paths.constLast().isEmpty()) {
            // The copy is not there yet: its row waits, blank, for the chip to land.
            p.fillRect(dest, palette().color(QPalette::Base));
        }
        if (moving >= 1.0) {
            p.save();
            p.setOpacity(fade);
            p.setPen(QPen(colour, 3));
            p.setBrush(Qt::NoBrush);
            p.drawRect(dest.adjusted(1, 1, -1, -1));
            p.restore();
        }
        drawChip(p, along(points, moving), part.label, colour, fade);
        break;
    }
    case Shape::Tombstone: {
        // Drops in from above, large, and settles on the row.
        const double k = QEasingCurve(QEasingCurve::OutBounce).valueForProgress(clamp01(t / 0.5));
        const QPointF at(first.left() + std::min(first.width() / 2, 80), first.center().y() - (1 - k) * 60);
        if (k < 1.0)
            p.fillRect(first, palette().color(QPalette::Base)); // the whiteout is not there yet
        p.save();
        p.setOpacity(fade);
        p.setPen(QPen(colour, 3));
        p.drawRect(first.adjusted(1, 1, -1, -1));
        p.restore();
        drawChip(p, at, part.label, colour, fade, 1.0 + 0.6 * (1 - k));
        break;
    }
    case Shape::GreyOut: {
        p.save();
        p.setOpacity(fade);
        p.fillRect(first, QColor(128, 128, 128, static_cast<int>(150 * clamp01(t * 2))));
        p.setPen(QPen(colour, 2));
        const int y = first.center().y();
        p.drawLine(first.left() + 4, y, first.left() + 4 + static_cast<int>((first.width() - 8) * clamp01(t * 2)), y);
        p.restore();
        drawChip(p, QPointF(first.right() - 60, first.center().y()), part.label, colour, fade * 0.95, 0.85);
        break;
    }
    case Shape::Curtain: {
        const QRect area = m_columns->subtreeRect(part.columns.first(), part.paths.value(0));
        if (area.isEmpty())
            break;
        QRect curtain = area;
        curtain.setHeight(std::max(4, static_cast<int>(area.height() * clamp01(t / 0.6))));
        p.save();
        p.setOpacity(fade);
        p.fillRect(curtain, QColor(colour.red(), colour.green(), colour.blue(), 60));
        p.fillRect(curtain, QBrush(colour, Qt::BDiagPattern));
        p.setPen(QPen(colour, 3));
        p.drawLine(curtain.bottomLeft(), curtain.bottomRight());
        p.restore();
        drawChip(p, QPointF(curtain.center().x(), curtain.bottom() - 4), part.label, colour, fade, 0.9);
        break;
    }
    case Shape::Arrow: {
        const QRect to = rowOrTop(part.columns.value(1), part.paths.value(1));
        const QPointF a(first.left() + 10, first.center().y());
        const QPointF b(to.left() + std::min(to.width() / 2, 90), to.center().y());
        const QPointF tip = a + (b - a) * clamp01(t / 0.6);
        p.save();
        p.setOpacity(fade);
        p.setPen(QPen(colour, 3));
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
        p.setBrush(colour);
        p.drawPolygon(head);
        p.restore();
        drawChip(p, bend, part.label, colour, fade, 0.9);
        break;
    }
    case Shape::Appear: {
        p.save();
        p.setOpacity(fade);
        p.fillRect(first, QColor(colour.red(), colour.green(), colour.blue(), static_cast<int>(110 * fade)));
        p.setPen(QPen(colour, 2));
        p.drawRect(first.adjusted(1, 1, -1, -1));
        p.restore();
        drawChip(p, QPointF(first.right() - 60, first.center().y()), part.label, colour, fade, 0.85);
        break;
    }
    case Shape::Vanish: {
        const QPointF at(first.left() + std::min(first.width() / 2, 90), first.bottom() + 8 - 20 * t);
        drawChip(p, at, part.label, colour, 1.0 - t);
        break;
    }
    case Shape::Pulse: {
        const double beat = 0.5 + 0.5 * std::sin(t * 3 * 2 * M_PI);
        p.save();
        p.setOpacity(fade);
        p.setPen(QPen(colour, 2 + 2 * beat));
        p.setBrush(Qt::NoBrush);
        p.drawRect(first.adjusted(1, 1, -1, -1));
        p.restore();
        drawChip(p, QPointF(first.right() - 60, first.center().y()), part.label, colour, fade, 0.85);
        break;
    }
    }
}

} // namespace strata
