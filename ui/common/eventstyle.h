// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/merge/layerrole.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStyle>

#include <functional>
#include <utility>

namespace strata
{

/// One element of an event's animation, drawn over one column (or from one column to another).
struct AnimationPart {
    enum class Shape : unsigned char {
        Travel, ///< a labelled chip moving through `columns` (rows of `paths`)
        Tombstone, ///< a whiteout landing in a row
        GreyOut, ///< a row fading to grey, struck through
        Curtain, ///< a hatched curtain lowered over a directory's rows
        Arrow, ///< from the first row to the second
        Appear, ///< a row lighting up
        Vanish, ///< a chip fading away where the entry was
        Pulse, ///< an outline drawing attention to a changed row
        Staged, ///< a row of the copy being prepared in work (it is gone from disk by the time we look)
    };
    Shape shape = Shape::Pulse;
    QList<int> columns; ///< the columns it concerns, in order of movement
    QStringList paths; ///< per column: the row (empty: the column's top)
    QString label; ///< glyph and words drawn with it
    int phase = 0; ///< the phase it plays in; afterwards it shows its end until the animation fades
};

/// One step of an animation's story. Phases play one after the other, each for its own
/// time, so that at any speed the cause is seen before its result.
struct AnimationPhase {
    QString name; ///< "source", "to work", "to upper", "merged"...
    int durationMs = 0; ///< at 1x
};

/// A column's status line that tells the state before the edit (or `text`) until the end of
/// a phase: the result is told when the movement reaches it.
struct StatusHold {
    int column = -1;
    QString text; ///< empty: the column's status before the edit
    int untilPhase = -1; ///< -1: until the next animation (the copy staged in work goes on)
};

/// What a planner knows of the columns an event is drawn on (column indexes, -1: not shown),
/// and the phases, parts and held status lines it adds.
struct AnimationPlan {
    OverlayEvent event;
    int upper = -1;
    int work = -1;
    int merged = -1;
    int lower = -1; ///< the lower column the event concerns: its source, or the topmost that has the path
    QList<int> lowersWith; ///< every lower column that has the path (the entries it hides)
    bool staged = false; ///< the animation before this one staged the same path in work
    std::function<int(const QString &)> lowerWith; ///< the topmost lower column that has a path
    QList<AnimationPhase> phases;
    QList<AnimationPart> parts;
    QList<StatusHold> holds;
    QList<std::pair<int, QString>> blanks; ///< rows not there yet: drawn empty until the next animation

    /// Starts a phase of `durationMs` at 1x; the parts added next play in it. Returns its index.
    int phase(const QString &name, int durationMs);
    /// Adds a part to the last phase unless one of its columns is not shown.
    void add(AnimationPart::Shape shape, QList<int> columns, QStringList paths, const QString &label);
    /// Holds a column's status line until the end of phase `untilPhase` (see StatusHold).
    void hold(int column, int untilPhase, const QString &text = {});
    /// The row of `path` in `column` is not there yet: it is drawn empty until the next animation.
    void blank(int column, const QString &path);
};

/// How one kind of event is named, drawn and captioned: the one table of them
/// (eventStyle() switches over every kind, without a default, so a new kind cannot be
/// forgotten). Its name is OverlayEvent::kindName().
struct EventStyle {
    Q_DECLARE_TR_FUNCTIONS(EventStyle)
public:
    QString glyph; ///< drawn with every colour: the kind is also written out
    QColor colour;
    QStyle::StandardPixmap icon; ///< in the timeline
    void (*plan)(AnimationPlan &plan); ///< the movement over the layer columns

    /// A mark the views draw beside a name, and what it means: the legend lists them all.
    struct Mark {
        enum class Where : unsigned char { Columns, Diagram, Tree, Window };
        QString glyph;
        QString words;
        QString meaning;
        Where where = Where::Columns;
    };

    [[nodiscard]] static const EventStyle &of(OverlayEvent::Kind kind);
    [[nodiscard]] static QString shapeName(AnimationPart::Shape shape);
    /// What the kernel did, in one sentence for the legend.
    [[nodiscard]] static QString meaning(OverlayEvent::Kind kind);
    /// The glyph drawn for a role: ▤ lower, ✎ upper, ⚙ work, ⊕ merged.
    [[nodiscard]] static QString roleGlyph(LayerRole role);
    [[nodiscard]] static QString roleMeaning(LayerRole role);
    /// What the work column says while a copy of `name` is staged there (the engine's, the
    /// kernel's reconstructed), for the columns to keep room for.
    [[nodiscard]] static QStringList workNotes(const QString &name);
    /// Every mark of the layer columns, the stack diagram, the tree's notes and the window.
    [[nodiscard]] static const QList<Mark> &marks();
    /// The parts an event of `kind` on /dir/file.txt animates over lower, upper, work and merged.
    [[nodiscard]] static QList<AnimationPart> sampleParts(OverlayEvent::Kind kind);
};

} // namespace strata
