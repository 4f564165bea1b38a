// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "ui/common/eventstyle.h"

#include <QList>
#include <QWidget>

class QVariantAnimation;

namespace strata
{

class LayerColumns;

/// A transparent layer over the layer columns that draws what an event did as a movement:
/// copy-up — the entry travels from its lower column through work into upper; whiteout — a
/// tombstone drops into upper while the lower entry greys out and leaves the merged view;
/// opaque — a curtain comes down over the lower content of the directory; redirect — an arrow
/// from the new name to the old one; created / removed — appear and fade. Every shape carries
/// a glyph and a word, so colour is never the only signal.
class EventAnimator final : public QWidget
{
    Q_OBJECT
public:
    using Part = AnimationPart;
    struct Animation {
        OverlayEvent event;
        QList<Part> parts;
    };

    [[nodiscard]] static QString shapeName(Part::Shape shape) { return EventStyle::shapeName(shape); }

    explicit EventAnimator(LayerColumns *columns);
    ~EventAnimator() override;

    /// Plays one event over the columns for `durationMs` (default: 1.4 s at 1x). An event
    /// that concerns no shown column plays nothing.
    void animate(const OverlayEvent &event, int durationMs = 0);
    /// 1 is normal, 0.25 slow for a class, 4 fast; 0 turns animations off.
    void setSpeed(double factor);
    /// Ends the animation playing now, if any (the columns it was drawn on are gone).
    void stop();
    [[nodiscard]] double speed() const { return m_speed; }
    [[nodiscard]] bool isRunning() const;
    /// The animation playing now (or the last one played), for tests and for people scripting demos.
    [[nodiscard]] const std::optional<Animation> &current() const { return m_current; }
    /// The recent animations, oldest first (at most 100).
    [[nodiscard]] const QList<Animation> &history() const { return m_history; }
    /// How far the current animation is, 0..1.
    [[nodiscard]] double progress() const { return m_progress; }

    /// The parts of an event, computed from which columns exist; no drawing.
    [[nodiscard]] Animation plan(const OverlayEvent &event) const;

Q_SIGNALS:
    void finished();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    /// What every part of the animation is drawn with at one moment.
    struct Stroke {
        double t = 0; ///< the part's own progress, 0..1
        double fade = 1; ///< in at the start, out at the end
        QColor colour;
        QRect first; ///< the row of the part's first column
    };
    void paintPart(QPainter &p, const Part &part, double t) const;
    void paintTravel(QPainter &p, const Part &part, const Stroke &k) const;
    void paintTombstone(QPainter &p, const Part &part, const Stroke &k) const;
    void paintGreyOut(QPainter &p, const Part &part, const Stroke &k) const;
    void paintCurtain(QPainter &p, const Part &part, const Stroke &k) const;
    void paintArrow(QPainter &p, const Part &part, const Stroke &k) const;
    void paintAppear(QPainter &p, const Part &part, const Stroke &k) const;
    void paintVanish(QPainter &p, const Part &part, const Stroke &k) const;
    void paintPulse(QPainter &p, const Part &part, const Stroke &k) const;
    [[nodiscard]] QRect rowOrTop(int column, const QString &path) const;

    LayerColumns *m_columns;
    QVariantAnimation *m_anim;
    std::optional<Animation> m_current;
    QList<Animation> m_history;
    double m_progress = 0;
    double m_speed = 1.0;
};

} // namespace strata
