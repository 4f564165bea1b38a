// SPDX-License-Identifier: GPL-2.0-or-later
#include "eventanimator.h"

#include "ui/common/mergedtreemodel.h"
#include "ui/stage/layercolumns.h"

#include <QEasingCurve>
#include <QFileInfo>
#include <QHeaderView>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QTimer>
#include <QTreeView>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>

namespace strata
{

namespace
{
using Shape = EventAnimator::Part::Shape;

// The last phase of every animation: everything it drew fades out together.
constexpr int FadeMs = 400;
// At 1x, how long what an animation leaves for the next one (a copy staged in work, the
// statuses it holds) waits for it: the caption of the copy_up comes after its own.
constexpr int LeftoverMs = 4000;
// Between a name and its badge.
constexpr int BadgeGap = 10;

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

QFont chipFont(QFont f)
{
    f.setBold(true);
    return f;
}

QSizeF chipSize(const QFont &font, const QString &text)
{
    const QFontMetrics fm(chipFont(font));
    return {static_cast<double>(fm.horizontalAdvance(text) + 16), static_cast<double>(fm.height() + 4)};
}

// A chip with its left edge at `leftCentre`, no taller than its row and no wider than the room
// up to `right` (its words then lose their end: a badge stays inside its column and its row,
// right of the name it is about).
QRectF chipRect(const QFont &font, const QString &text, QPointF leftCentre, double right, double rowHeight)
{
    const QSizeF size = chipSize(font, text);
    const double scale = std::clamp(rowHeight / size.height(), 0.7, 1.0);
    const double width = std::min(size.width() * scale, std::max(right - leftCentre.x(), 24.0));
    return {leftCentre.x(), leftCentre.y() - size.height() * scale / 2, width, size.height() * scale};
}

QRectF centredChip(const QFont &font, const QString &text, QPointF centre, const QRectF &bounds)
{
    const QSizeF size = chipSize(font, text);
    // Whole, even at the edges of the columns.
    if (bounds.width() > size.width())
        centre.setX(std::clamp(centre.x(), bounds.left() + size.width() / 2, bounds.right() - size.width() / 2));
    return {centre.x() - size.width() / 2, centre.y() - size.height() / 2, size.width(), size.height()};
}

// A rounded label with a border in the event's colour; its words carry the meaning. Drawn
// into `r` (its text scaled with it).
void drawChip(QPainter &p, const QRectF &r, const QString &text, const QColor &colour, double opacity)
{
    if (opacity <= 0)
        return;
    p.save();
    p.setOpacity(opacity);
    const QFont f = chipFont(p.font());
    p.setFont(f);
    const QSizeF natural = chipSize(f, text);
    const double scale = r.height() / natural.height();
    p.translate(r.center());
    p.scale(scale, scale);
    const double width = r.width() / scale;
    const QRectF box(-width / 2, -natural.height() / 2, width, natural.height());
    p.setPen(QPen(colour, 2));
    p.setBrush(QColor(255, 255, 255, 235));
    p.drawRoundedRect(box, 6, 6);
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(box, Qt::AlignCenter, QFontMetrics(f).elidedText(text, Qt::ElideRight, static_cast<int>(width) - 12));
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

bool leavesFrom(const EventAnimator::Animation &a, int column)
{
    return std::any_of(a.parts.cbegin(), a.parts.cend(), [column](const EventAnimator::Part &part) {
        return part.shape == Shape::Travel && part.columns.first() == column && part.paths.value(0).isEmpty();
    });
}
} // namespace

EventAnimator::EventAnimator(LayerColumns *columns)
    : QWidget(columns), m_columns(columns), m_anim(new QVariantAnimation(this)), m_expire(new QTimer(this))
{
    setObjectName(QStringLiteral("eventAnimator"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    m_anim->setEasingCurve(QEasingCurve::Linear);
    connect(m_anim, &QVariantAnimation::valueChanged, this, [this](const QVariant &v) { advanceTo(v.toInt()); });
    connect(m_anim, &QVariantAnimation::finished, this, &EventAnimator::ended);
    m_expire->setSingleShot(true);
    connect(m_expire, &QTimer::timeout, this, &EventAnimator::dropLeftovers);
}

EventAnimator::~EventAnimator() = default;

void EventAnimator::setSpeed(double factor)
{
    m_speed = factor;
    if (m_speed <= 0)
        stop();
}

void EventAnimator::stop()
{
    m_waiting.clear();
    m_playing = false;
    m_anim->stop();
    m_current.reset();
    dropLeftovers();
}

void EventAnimator::dropLeftovers()
{
    m_expire->stop();
    m_columns->releaseStatuses();
    m_blanks.clear();
    m_staged.reset();
    update();
}

bool EventAnimator::isRunning() const
{
    return m_playing || !m_waiting.isEmpty();
}

double EventAnimator::progress() const
{
    if (!m_current || m_phaseEnds.isEmpty())
        return 0;
    return m_playing ? clamp01(static_cast<double>(m_elapsed) / std::max(1, m_phaseEnds.last())) : 1.0;
}

EventAnimator::Animation EventAnimator::plan(const OverlayEvent &e) const
{
    AnimationPlan p;
    p.event = e;
    // A work_temp is written to work: its story goes on into the upper layer next to it.
    p.upper = m_columns->findColumn(LayerRole::Upper, e.kind == OverlayEvent::Kind::WorkTemp ? QString() : e.toLayer);
    if (!e.toLayer.isEmpty() && p.upper < 0 && e.kind != OverlayEvent::Kind::WorkTemp)
        return {e, {}, {}, {}, {}}; // an event of another overlay than the one on the columns
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
    if (p.parts.isEmpty())
        return {e, {}, {}, {}, {}};
    p.phase(QStringLiteral("fade"), FadeMs);
    return {e, p.parts, p.phases, p.holds, p.blanks};
}

void EventAnimator::animate(const OverlayEvent &event, int durationMs)
{
    if (m_speed <= 0)
        return;
    Animation a = plan(event);
    if (a.parts.isEmpty())
        return;
    m_history.append(a);
    if (m_history.size() > 100)
        m_history.removeFirst();
    // The one playing ends first: a story is never cut off by the next.
    if (m_playing)
        m_waiting.append({std::move(a), durationMs});
    else
        start({std::move(a), durationMs});
}

void EventAnimator::start(const Waiting &next)
{
    const Animation &a = next.animation;
    m_expire->stop();
    m_columns->releaseStatuses();
    if (m_staged && !leavesFrom(a, m_staged->column))
        m_staged.reset();
    m_blanks = a.blanks;
    m_current = a;
    // The status lines tell about the path the movement is about (a whiteout's, too).
    const int merged = m_columns->findColumn(LayerRole::Merged);
    if (m_columns->selectedPath() != a.event.path && merged >= 0 && m_columns->hasPath(merged, a.event.path))
        m_columns->selectPath(a.event.path);
    for (const StatusHold &h : a.holds)
        m_columns->holdStatus(h.column, a.event.path, h.text);
    // Each phase its own time at this speed; a longer caption stretches them all alike.
    int atOne = 0;
    for (const Phase &ph : a.phases)
        atOne += ph.durationMs;
    const double total = std::max(atOne / m_speed, static_cast<double>(next.durationMs));
    const double scale = total / std::max(1, atOne);
    m_phaseEnds.clear();
    double end = 0;
    for (const Phase &ph : a.phases) {
        end += ph.durationMs * scale;
        m_phaseEnds << std::max(static_cast<int>(end), m_phaseEnds.isEmpty() ? 1 : m_phaseEnds.last() + 1);
    }
    m_elapsed = 0;
    m_phase = 0;
    setGeometry(m_columns->rect());
    raise();
    // New values make the animation report one at once: not a moment of this one yet.
    m_playing = false;
    m_anim->stop();
    m_anim->setDuration(m_phaseEnds.last());
    m_anim->setStartValue(0);
    m_anim->setEndValue(m_phaseEnds.last());
    m_anim->setCurrentTime(0);
    m_playing = true;
    beginPhase(0);
    m_anim->start();
}

void EventAnimator::advanceTo(int elapsedMs)
{
    if (!m_playing)
        return;
    m_elapsed = elapsedMs;
    // Phases end in order, each one's results told before the next begins, however late the frame.
    while (m_phase < m_phaseEnds.size() && m_elapsed >= m_phaseEnds.at(m_phase)) {
        endPhase(m_phase);
        if (++m_phase < m_phaseEnds.size())
            beginPhase(m_phase);
    }
    update();
}

void EventAnimator::beginPhase(int phase)
{
    for (const Part &part : std::as_const(m_current->parts)) {
        if (part.phase != phase)
            continue;
        if (part.shape == Shape::Travel && m_staged && part.columns.first() == m_staged->column
            && part.paths.value(0).isEmpty())
            m_staged.reset(); // the copy moves on
        if (part.shape == Shape::Staged)
            m_staged = StagedRow {part.columns.first(), part.paths.value(0), part.label, {}};
    }
    Q_EMIT phaseStarted(phase, m_current->phases.at(phase).name);
}

void EventAnimator::endPhase(int phase)
{
    for (const StatusHold &h : std::as_const(m_current->holds)) {
        if (h.untilPhase == phase)
            m_columns->releaseStatus(h.column);
    }
    Q_EMIT phaseFinished(phase, m_current->phases.at(phase).name);
}

void EventAnimator::ended()
{
    if (!m_playing)
        return;
    advanceTo(m_phaseEnds.last());
    m_playing = false;
    const bool leftovers = m_staged || !m_blanks.isEmpty()
        || std::any_of(
            m_current->holds.cbegin(), m_current->holds.cend(), [](const StatusHold &h) { return h.untilPhase < 0; });
    if (leftovers)
        m_expire->start(static_cast<int>(LeftoverMs / m_speed));
    update();
    Q_EMIT finished();
    if (!m_waiting.isEmpty() && !m_playing)
        start(m_waiting.takeFirst());
}

QRect EventAnimator::rowOrTop(int column, const QString &path) const
{
    if (!path.isEmpty()) {
        const QRect r = m_columns->rowRect(column, path);
        if (!r.isEmpty())
            return r;
    }
    // The entry has no row there: the top of the column.
    const QRect body = m_columns->bodyRect(column);
    const int h = fontMetrics().height() + 6;
    return QRect(body.left(), body.top(), body.width(), h);
}

QRect EventAnimator::stagingRect(int column) const
{
    // The kernel and the engine prepare copies in work/work.
    return m_columns->newRowRect(column, QStringLiteral("/work"));
}

std::optional<EventAnimator::StagedRow> EventAnimator::stagedRow() const
{
    if (!m_staged)
        return std::nullopt;
    StagedRow row = *m_staged;
    row.rect = stagingRect(row.column);
    return row;
}

QPointF EventAnimator::badgeAnchor(int column, const QString &path) const
{
    const QRect name = path.isEmpty() ? QRect() : m_columns->nameRect(column, path);
    const QRect r = path.isEmpty() ? stagingRect(column) : name.isEmpty() ? rowOrTop(column, path) : name;
    // Exactly mid-row (QRect::center() rounds up a pixel): a badge as tall as the row stays in it.
    return {
        (name.isEmpty() ? r.left() : r.left() + r.width()) + static_cast<double>(BadgeGap), r.top() + r.height() / 2.0};
}

QRectF EventAnimator::badgeRect(int column, const QString &path, const QString &label) const
{
    const QRect row = path.isEmpty() ? stagingRect(column) : rowOrTop(column, path);
    const QRect body = m_columns->bodyRect(column);
    const QRectF r = chipRect(font(), label, badgeAnchor(column, path), body.right() - 2, row.height());
    if (r.width() >= 0.7 * chipSize(font(), label).width() * r.height() / chipSize(font(), label).height())
        return r;
    // No room right of the name (a narrow column): on the column's header line instead, at its
    // right, where no name is.
    const QHeaderView *header = m_columns->view(column)->header();
    const QRect band(header->mapTo(m_columns, QPoint(0, 0)), header->size());
    const QRectF there = chipRect(
        font(), label, QPointF(body.left() + 2, band.top() + band.height() / 2.0), body.right() - 2, band.height());
    return there.translated(body.right() - 2 - there.right(), 0);
}

QList<QRect> EventAnimator::badgeRects() const
{
    QList<QRect> out;
    if (!m_current || !m_playing)
        return out;
    for (const Part &part : m_current->parts) {
        if (!phaseOver(part.phase))
            continue;
        switch (part.shape) {
        case Shape::Travel:
            if (part.paths.constLast().isEmpty())
                continue; // into work: its staged row stands for it
            [[fallthrough]];
        case Shape::Tombstone:
        case Shape::GreyOut:
        case Shape::Appear:
        case Shape::Pulse:
            out << badgeRect(part.columns.last(), part.paths.constLast(), part.label).toAlignedRect();
            continue;
        case Shape::Curtain:
        case Shape::Arrow:
        case Shape::Vanish:
        case Shape::Staged:
            continue;
        }
    }
    return out;
}

EventAnimator::Stroke EventAnimator::strokeOf(const Part &part) const
{
    Stroke k;
    k.colour = EventStyle::of(m_current->event.kind).colour;
    const int start = part.phase == 0 ? 0 : m_phaseEnds.at(part.phase - 1);
    const int end = m_phaseEnds.at(part.phase);
    k.t = phaseOver(part.phase) ? 1.0 : clamp01(static_cast<double>(m_elapsed - start) / std::max(1, end - start));
    // In at the start of its phase; out, all together, in the last one.
    const int fadeStart = m_phaseEnds.size() > 1 ? m_phaseEnds.at(m_phaseEnds.size() - 2) : 0;
    const double out
        = 1.0 - clamp01(static_cast<double>(m_elapsed - fadeStart) / std::max(1, m_phaseEnds.last() - fadeStart));
    k.fade = clamp01(k.t / 0.15) * out;
    k.first = rowOrTop(part.columns.first(), part.paths.value(0));
    return k;
}

void EventAnimator::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    for (const auto &[column, path] : std::as_const(m_blanks))
        paintBlank(p, column, path); // not there yet
    if (const auto staged = stagedRow())
        paintStaged(p, *staged, 1.0);
    if (!m_current || !m_playing)
        return;
    for (const Part &part : m_current->parts) {
        if (m_phase < part.phase)
            paintBefore(p, part);
        else
            paintPart(p, part, strokeOf(part));
    }
}

void EventAnimator::paintBefore(QPainter &p, const Part &part) const
{
    switch (part.shape) {
    case Shape::Travel:
    case Shape::Tombstone: {
        // The row it brings is not there yet: it waits, blank, for the movement to land.
        if (!part.paths.constLast().isEmpty())
            paintBlank(p, part.columns.last(), part.paths.constLast());
        return;
    }
    case Shape::GreyOut:
        paintAsItWas(p, part.columns.first(), part.paths.value(0));
        return;
    case Shape::Curtain:
    case Shape::Arrow:
    case Shape::Appear:
    case Shape::Vanish:
    case Shape::Pulse:
    case Shape::Staged:
        return;
    }
}

void EventAnimator::paintBlank(QPainter &p, int column, const QString &path) const
{
    // The whole line, its notes and its selection too: nothing of it shows before its time.
    QRect r = m_columns->rowRect(column, path);
    if (r.isEmpty())
        return;
    const QRect body = m_columns->bodyRect(column);
    r.setLeft(body.left());
    r.setRight(body.right());
    p.fillRect(r, palette().color(QPalette::Base));
}

void EventAnimator::paintAsItWas(QPainter &p, int column, const QString &path) const
{
    // A row the edit turned into a whiteout (the merged view marks them) still reads as the
    // entry it was, until its phase.
    const QModelIndex idx = m_columns->indexOf(column, path);
    if (!idx.isValid() || !idx.data(MergedTreeModel::IsWhiteoutRole).toBool())
        return;
    const QRect row = m_columns->rowRect(column, path);
    const QRect name = m_columns->nameRect(column, path);
    if (row.isEmpty() || name.isEmpty())
        return;
    const QTreeView *view = m_columns->view(column);
    p.fillRect(row, palette().color(QPalette::Base));
    const int icon = std::min(row.height() - 2, view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view));
    const QIcon file = view->style()->standardIcon(QStyle::SP_FileIcon);
    file.paint(&p, QRect(name.left() + 3, row.center().y() - icon / 2, icon, icon));
    p.save();
    p.setFont(view->font());
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(name.left() + icon + 8, row.top(), row.right() - name.left(), row.height()),
        Qt::AlignLeft | Qt::AlignVCenter,
        QFileInfo(path).fileName());
    p.restore();
}

void EventAnimator::paintPart(QPainter &p, const Part &part, const Stroke &k) const
{
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
    case Shape::Staged:
        return; // drawn as m_staged: it outlives its animation until the copy moves on
    }
}

void EventAnimator::paintTravel(QPainter &p, const Part &part, const Stroke &k) const
{
    QList<QPointF> points;
    for (int i = 0; i < part.columns.size(); ++i)
        points << badgeAnchor(part.columns.at(i), part.paths.value(i));
    const double moving = QEasingCurve(QEasingCurve::InOutCubic).valueForProgress(clamp01(k.t / 0.85));
    const int to = part.columns.last();
    const QString &into = part.paths.constLast();
    if (moving < 1.0) {
        // The route, faint, so the eye knows where it goes.
        p.save();
        p.setOpacity(0.5 * k.fade);
        p.setPen(QPen(k.colour, 2, Qt::DashLine));
        for (int i = 1; i < points.size(); ++i)
            p.drawLine(points.at(i - 1), points.at(i));
        p.restore();
        if (!into.isEmpty())
            paintBefore(p, part);
        const QSizeF size = chipSize(font(), part.label);
        const QPointF at = along(points, moving);
        drawChip(p, QRectF(QPointF(at.x(), at.y() - size.height() / 2), size), part.label, k.colour, k.fade);
        return;
    }
    if (into.isEmpty())
        return; // landed in work: the staged row stands for it now
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 3));
    p.setBrush(Qt::NoBrush);
    p.drawRect(m_columns->rowRect(to, into).adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, badgeRect(to, into, part.label), part.label, k.colour, k.fade);
}

void EventAnimator::paintTombstone(QPainter &p, const Part &part, const Stroke &k) const
{
    // Drops in from above, large, and lands right of the name.
    const double drop = QEasingCurve(QEasingCurve::OutBounce).valueForProgress(clamp01(k.t / 0.5));
    if (drop < 1.0)
        paintBefore(p, part); // the whiteout is not there yet
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 3));
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    QRectF r = badgeRect(part.columns.first(), part.paths.value(0), part.label);
    const double grow = 1.0 + 0.6 * (1 - drop);
    r = QRectF(r.left(), r.center().y() - (1 - drop) * 50 - r.height() * grow / 2, r.width() * grow, r.height() * grow);
    drawChip(p, r, part.label, k.colour, k.fade);
}

void EventAnimator::paintGreyOut(QPainter &p, const Part &part, const Stroke &k) const
{
    const int column = part.columns.first();
    const QString path = part.paths.value(0);
    const double greying = clamp01(k.t * 2);
    p.save();
    p.setOpacity(1.0 - greying);
    paintAsItWas(p, column, path);
    p.setOpacity(k.fade);
    p.fillRect(k.first, QColor(128, 128, 128, static_cast<int>(150 * greying)));
    // Struck through: the name, not the badge.
    const QRect name = m_columns->nameRect(column, path);
    const QRect line = name.isEmpty() ? k.first : name;
    p.setPen(QPen(k.colour, 2));
    const int y = line.center().y();
    p.drawLine(line.left() + 2, y, line.left() + 2 + static_cast<int>((line.width() - 4) * greying), y);
    p.restore();
    drawChip(p, badgeRect(column, path, part.label), part.label, k.colour, k.fade);
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
    drawChip(p,
        centredChip(font(), part.label, QPointF(curtain.center().x(), curtain.bottom() - 4), rect()),
        part.label,
        k.colour,
        k.fade);
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
    drawChip(p, centredChip(font(), part.label, bend, rect()), part.label, k.colour, k.fade);
}

void EventAnimator::paintAppear(QPainter &p, const Part &part, const Stroke &k) const
{
    const double glow = part.phase == m_phase ? k.fade : 0.5 * k.fade; // bright in its own phase
    p.save();
    p.setOpacity(k.fade);
    p.fillRect(k.first, QColor(k.colour.red(), k.colour.green(), k.colour.blue(), static_cast<int>(90 * glow)));
    p.setPen(QPen(k.colour, 2));
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, badgeRect(part.columns.first(), part.paths.value(0), part.label), part.label, k.colour, k.fade);
}

void EventAnimator::paintVanish(QPainter &p, const Part &part, const Stroke &k) const
{
    const QRectF r = badgeRect(part.columns.first(), part.paths.value(0), part.label);
    drawChip(p, r.translated(0, 8 - 20 * k.t), part.label, k.colour, std::min(k.fade, 1.0 - k.t));
}

void EventAnimator::paintPulse(QPainter &p, const Part &part, const Stroke &k) const
{
    const double beat = part.phase == m_phase ? 0.5 + 0.5 * std::sin(k.t * 3 * 2 * M_PI) : 0;
    p.save();
    p.setOpacity(k.fade);
    p.setPen(QPen(k.colour, 2 + 2 * beat));
    p.setBrush(Qt::NoBrush);
    p.drawRect(k.first.adjusted(1, 1, -1, -1));
    p.restore();
    drawChip(p, badgeRect(part.columns.first(), part.paths.value(0), part.label), part.label, k.colour, k.fade);
}

void EventAnimator::paintStaged(QPainter &p, const StagedRow &row, double opacity) const
{
    const QRect r = row.rect;
    if (r.isEmpty())
        return;
    const QTreeView *view = m_columns->view(row.column);
    const QColor colour = EventStyle::of(OverlayEvent::Kind::WorkTemp).colour;
    p.save();
    p.setOpacity(opacity);
    p.fillRect(r, palette().color(QPalette::Base)); // a row of its own, even where the column is short
    p.fillRect(r, QColor(colour.red(), colour.green(), colour.blue(), 60));
    p.setPen(QPen(colour, 1, Qt::DashLine));
    p.drawRect(r.adjusted(0, 0, -1, -1));
    const int icon = std::min(r.height() - 2, view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view));
    view->style()
        ->standardIcon(QStyle::SP_FileIcon)
        .paint(&p, QRect(r.left() + 3, r.center().y() - icon / 2, icon, icon));
    // Its name, whole as long as the column allows; the note after it where there is room.
    const QString name = tr("⚙ %1 (copy)").arg(QFileInfo(row.path).fileName());
    p.setFont(view->font());
    p.setPen(palette().color(QPalette::Text));
    const QRect text = r.adjusted(icon + 8, 0, -2, 0);
    const QFontMetrics fm(view->font());
    p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideMiddle, text.width()));
    const int after = fm.horizontalAdvance(name) + 12;
    if (after + fm.horizontalAdvance(row.note) < text.width()) {
        QFont italic = view->font();
        italic.setItalic(true);
        p.setFont(italic);
        p.drawText(text.adjusted(after, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, row.note);
    }
    p.restore();
}

} // namespace strata
