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

namespace strata
{

/// One element of an event's animation, drawn over one column (or from one column to another).
struct AnimationPart {
    enum class Shape : unsigned char {
        Travel, ///< a labelled chip moving through `columns` (rows of `paths`)
        Tombstone, ///< a whiteout appearing in a row
        GreyOut, ///< a row fading to grey, struck through
        Curtain, ///< a hatched curtain lowered over a directory's rows
        Arrow, ///< from the first row to the second
        Appear, ///< a row lighting up
        Vanish, ///< a chip fading away where the entry was
        Pulse, ///< an outline drawing attention to a changed row
    };
    Shape shape = Shape::Pulse;
    QList<int> columns; ///< the columns it concerns, in order of movement
    QStringList paths; ///< per column: the row (empty: the column's top)
    QString label; ///< glyph and words drawn with it
    double start = 0; ///< fraction of the animation before it begins
};

/// What a planner knows of the columns an event is drawn on (column indexes, -1: not shown),
/// and the parts it adds.
struct AnimationPlan {
    OverlayEvent event;
    int upper = -1;
    int work = -1;
    int merged = -1;
    int lower = -1; ///< the lower column the event concerns: its source, or the topmost that has the path
    QList<int> lowersWith; ///< every lower column that has the path (the entries it hides)
    bool staged = false; ///< the animation before this one staged the same path in work
    std::function<int(const QString &)> lowerWith; ///< the topmost lower column that has a path
    QList<AnimationPart> parts;

    /// Adds a part unless one of its columns is not shown.
    void add(AnimationPart::Shape shape, QList<int> columns, QStringList paths, const QString &label, double start = 0);
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
    /// Every mark of the layer columns, the stack diagram, the tree's notes and the window.
    [[nodiscard]] static const QList<Mark> &marks();
    /// The parts an event of `kind` on /dir/file.txt animates over lower, upper, work and merged.
    [[nodiscard]] static QList<AnimationPart> sampleParts(OverlayEvent::Kind kind);
};

} // namespace strata
