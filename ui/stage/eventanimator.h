// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "ui/common/eventstyle.h"

#include <QList>
#include <QWidget>

#include <optional>

class QTimer;
class QVariantAnimation;

namespace strata
{

class LayerColumns;

/// A transparent layer over the layer columns that tells what an event did as a story, one
/// phase after the other: copy-up — the lower row lights up, a copy travels into work where
/// its row appears, then on into upper, and only then does the merged row take it from there;
/// whiteout — a tombstone lands in upper next to the name, the lower rows grey out, then the
/// merged row goes; opaque — a curtain comes down over the lower content of the directory;
/// redirect — an arrow from the new name to the old one; created / removed — appear and fade.
/// Until a phase shows a column's result, that column's status line tells what it said before
/// the edit. Every shape carries a glyph and a word (colour is never the only signal), and
/// every badge sits right of the name it is about, never on it.
class EventAnimator final : public QWidget
{
    Q_OBJECT
public:
    using Part = AnimationPart;
    using Phase = AnimationPhase;
    struct Animation {
        OverlayEvent event;
        QList<Part> parts;
        QList<Phase> phases; ///< in the order they play; the last one fades everything out
        QList<StatusHold> holds;
        QList<std::pair<int, QString>> blanks;
    };
    /// The row of the copy being prepared in work: the engine reports it, the kernel's is
    /// reconstructed from its copy_up (it is gone before the upper layer can be read).
    struct StagedRow {
        int column = -1;
        QString path; ///< the merged path it is a copy of
        QString note; ///< "staged copy", "staged by the kernel, not observed"
        QRect rect; ///< where it is drawn, in the columns' coordinates
    };

    [[nodiscard]] static QString shapeName(Part::Shape shape) { return EventStyle::shapeName(shape); }

    explicit EventAnimator(LayerColumns *columns);
    ~EventAnimator() override;

    /// Plays one event over the columns; one that arrives while another plays waits for it.
    /// Each phase takes its own time at the current speed; `durationMs`, when longer than
    /// that, stretches them (the time its caption gives it). An event that concerns no shown
    /// column plays nothing.
    void animate(const OverlayEvent &event, int durationMs = 0);
    /// 1 is normal, 0.25 slow for a class, 4 fast; 0 turns animations off.
    void setSpeed(double factor);
    /// Ends the animation playing now and those waiting (the columns they are drawn on are gone).
    void stop();
    [[nodiscard]] double speed() const { return m_speed; }
    /// An animation plays or waits.
    [[nodiscard]] bool isRunning() const;
    /// The animation playing now (or the last one played), for tests and for people scripting demos.
    [[nodiscard]] const std::optional<Animation> &current() const { return m_current; }
    /// The recent animations, oldest first (at most 100).
    [[nodiscard]] const QList<Animation> &history() const { return m_history; }
    /// How far the current animation is, 0..1.
    [[nodiscard]] double progress() const;
    /// The phase of the current animation playing now; -1 when none plays.
    [[nodiscard]] int phase() const { return isRunning() ? m_phase : -1; }
    /// The copy staged in work now, if any.
    [[nodiscard]] std::optional<StagedRow> stagedRow() const;
    /// Where the badges of the phases played so far are drawn, in the columns' coordinates.
    [[nodiscard]] QList<QRect> badgeRects() const;

    /// The parts of an event, computed from which columns exist; no drawing.
    [[nodiscard]] Animation plan(const OverlayEvent &event) const;

Q_SIGNALS:
    void phaseStarted(int phase, const QString &name);
    void phaseFinished(int phase, const QString &name);
    /// An animation ended (every phase done).
    void finished();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    /// What every part of the animation is drawn with at one moment.
    struct Stroke {
        double t = 0; ///< the part's own progress in its phase, 0..1 (1 once it is over)
        double fade = 1; ///< in at the start of its phase, out in the last phase
        QColor colour;
        QRect first; ///< the row of the part's first column
    };
    struct Waiting {
        Animation animation;
        int durationMs = 0;
    };
    void start(const Waiting &next);
    void advanceTo(int elapsedMs);
    void beginPhase(int phase);
    void endPhase(int phase);
    void ended();
    void dropLeftovers();
    [[nodiscard]] Stroke strokeOf(const Part &part) const;
    void paintBefore(QPainter &p, const Part &part) const;
    void paintPart(QPainter &p, const Part &part, const Stroke &k) const;
    void paintTravel(QPainter &p, const Part &part, const Stroke &k) const;
    void paintTombstone(QPainter &p, const Part &part, const Stroke &k) const;
    void paintGreyOut(QPainter &p, const Part &part, const Stroke &k) const;
    void paintCurtain(QPainter &p, const Part &part, const Stroke &k) const;
    void paintArrow(QPainter &p, const Part &part, const Stroke &k) const;
    void paintAppear(QPainter &p, const Part &part, const Stroke &k) const;
    void paintVanish(QPainter &p, const Part &part, const Stroke &k) const;
    void paintPulse(QPainter &p, const Part &part, const Stroke &k) const;
    void paintStaged(QPainter &p, const StagedRow &row, double opacity) const;
    void paintBlank(QPainter &p, int column, const QString &path) const;
    void paintAsItWas(QPainter &p, int column, const QString &path) const;
    [[nodiscard]] QRect rowOrTop(int column, const QString &path) const;
    /// Left-centre of a badge about `path` in `column`: right of its name.
    [[nodiscard]] QPointF badgeAnchor(int column, const QString &path) const;
    [[nodiscard]] QRectF badgeRect(int column, const QString &path, const QString &label) const;
    [[nodiscard]] QRect stagingRect(int column) const;
    [[nodiscard]] bool phaseOver(int phase) const { return m_phase > phase; }

    LayerColumns *m_columns;
    QVariantAnimation *m_anim;
    QTimer *m_expire; // what an animation leaves for the next one (a staged copy) is not kept forever
    std::optional<Animation> m_current;
    QList<Waiting> m_waiting;
    QList<Animation> m_history;
    QList<int> m_phaseEnds; // per phase of the current animation: its end, in ms from the start
    int m_elapsed = 0;
    int m_phase = 0; // the phase playing: every one before it is over
    bool m_playing = false;
    std::optional<StagedRow> m_staged; // drawn until the copy moves on
    QList<std::pair<int, QString>> m_blanks; // rows not there yet, until the next animation
    double m_speed = 1.0;
};

} // namespace strata
