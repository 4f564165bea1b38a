// SPDX-License-Identifier: GPL-2.0-or-later
#include "eventstyle.h"

#include "core/util/enumwords.h"

#include <QFileInfo>

namespace strata
{

namespace
{
using Shape = AnimationPart::Shape;
using Kind = OverlayEvent::Kind;

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

QString tr(const char *text)
{
    return EventStyle::tr(text);
}

// How long each kind of phase takes at 1x: long enough to follow, the whole shorter than a caption.
constexpr int LightMs = 450; // a row lights up
constexpr int MoveMs = 900; // a copy travels from one column to the next
constexpr int LandMs = 500; // a row appears where the copy landed
constexpr int MarkMs = 700; // a row is marked (whiteout, hidden, gone)

// The rows the copy-up changes say what they said before it until the copy is in upper.
void holdUntilCopied(AnimationPlan &p, int phase)
{
    p.hold(p.upper, phase);
    p.hold(p.lower, phase);
    p.hold(p.merged, phase);
}

// The source row lights up, then a copy of it travels into work, where its row appears.
void planStaging(AnimationPlan &p, const QString &note)
{
    if (p.lower >= 0) {
        p.phase(QStringLiteral("source"), LightMs);
        p.add(Shape::Appear, {p.lower}, {p.event.path}, tr("↑ read from here"));
        p.phase(QStringLiteral("to work"), MoveMs);
        p.add(Shape::Travel, {p.lower, p.work}, {p.event.path, QString()}, tr("⚙ copy → work"));
    }
    p.phase(QStringLiteral("staged"), LandMs);
    p.add(Shape::Staged, {p.work}, {p.event.path}, note);
}

void planWorkTemp(AnimationPlan &p)
{
    planStaging(p, tr("staged copy"));
    // The copy_up that follows moves it on: until then nothing is in upper yet.
    p.hold(p.work, -1, EventStyle::workNotes(baseName(p.event.path)).at(0));
    holdUntilCopied(p, -1);
    p.blank(p.upper, p.event.path);
}

void planCopyUp(AnimationPlan &p)
{
    const QString name = baseName(p.event.path);
    const QString &path = p.event.path;
    const QString label = p.event.kind == Kind::Metacopy ? tr("↑ metacopy (metadata only)") : tr("↑ copy-up");
    // The kernel stages its copy in work too, but it is gone before the tracker looks: the
    // story is told the same way, and says so.
    const bool reconstructed = !p.staged && p.work >= 0 && p.lower >= 0;
    if (reconstructed) {
        planStaging(p, tr("staged by the kernel, not observed"));
        p.hold(p.work, p.phases.size() - 1, EventStyle::workNotes(name).at(1));
    }
    const int up = p.phase(QStringLiteral("to upper"), MoveMs);
    if (p.work >= 0 && (p.staged || reconstructed))
        p.add(Shape::Travel, {p.work, p.upper}, {QString(), path}, label);
    else if (p.lower >= 0)
        p.add(Shape::Travel, {p.lower, p.upper}, {path, path}, label);
    holdUntilCopied(p, up);
    // Only once the copy is in upper does the merged view take it from there.
    p.phase(QStringLiteral("merged"), LandMs);
    p.add(Shape::Pulse, {p.merged}, {path}, tr("now from %1").arg(p.event.toLayer));
}

void planWhiteout(AnimationPlan &p)
{
    const int lands = p.phase(QStringLiteral("tombstone"), MarkMs);
    p.add(Shape::Tombstone, {p.upper}, {p.event.path}, tr("† whiteout 0/0"));
    p.hold(p.upper, lands);
    const int hides = p.phase(QStringLiteral("hidden"), MarkMs);
    for (int c : std::as_const(p.lowersWith)) {
        p.add(Shape::GreyOut, {c}, {p.event.path}, tr("✖ hidden"));
        p.hold(c, hides);
    }
    const int leaves = p.phase(QStringLiteral("gone"), MarkMs);
    p.add(Shape::GreyOut, {p.merged}, {p.event.path}, tr("gone from merged"));
    p.hold(p.merged, leaves);
}

void planOpaque(AnimationPlan &p)
{
    p.phase(QStringLiteral("opaque"), MarkMs);
    p.add(Shape::Pulse, {p.upper}, {p.event.path}, tr("▦ opaque=y"));
    p.phase(QStringLiteral("curtain"), MoveMs);
    for (int c : std::as_const(p.lowersWith))
        p.add(Shape::Curtain, {c}, {p.event.path}, tr("▦ hidden by opaque %1").arg(baseName(p.event.path)));
}

void planRedirect(AnimationPlan &p)
{
    const OverlayEvent &e = p.event;
    // The kernel's redirect is relative to the parent when the name alone changed.
    const QString parent = parentPath(e.path);
    const QString oldPath = e.fromPath.startsWith(QLatin1Char('/'))
        ? e.fromPath
        : (parent == QStringLiteral("/") ? QString() : parent) + QLatin1Char('/') + e.fromPath;
    const int old = p.lowerWith ? p.lowerWith(oldPath) : -1;
    p.phase(QStringLiteral("redirect"), MoveMs);
    if (old >= 0 && !e.fromPath.isEmpty())
        p.add(Shape::Arrow, {p.upper, old}, {e.path, oldPath}, tr("↪ redirect → %1").arg(oldPath));
    else
        p.add(Shape::Pulse, {p.upper}, {e.path}, tr("↪ redirect"));
}

// In upper first, then in the merged view: each row's status follows its movement.
void planUpperThenMerged(
    AnimationPlan &p, Shape shape, const QStringList &paths, const QString &upperLabel, const QString &mergedLabel)
{
    p.hold(p.upper, p.phase(QStringLiteral("upper"), LandMs));
    p.add(shape, {p.upper}, paths, upperLabel);
    p.hold(p.merged, p.phase(QStringLiteral("merged"), LandMs));
    p.add(shape, {p.merged}, paths, mergedLabel);
}

void planCreated(AnimationPlan &p)
{
    planUpperThenMerged(p, Shape::Appear, {p.event.path}, tr("✚ created"), tr("✚ new"));
}

void planRemoved(AnimationPlan &p)
{
    const QString label = tr("✖ %1").arg(baseName(p.event.path));
    planUpperThenMerged(p, Shape::Vanish, {parentPath(p.event.path)}, label, label);
}

void planRenamed(AnimationPlan &p)
{
    planUpperThenMerged(
        p, Shape::Appear, {p.event.path}, tr("✎ renamed from %1").arg(baseName(p.event.fromPath)), tr("✎ renamed"));
}

void planModified(AnimationPlan &p)
{
    p.phase(QStringLiteral("modified"), LandMs);
    p.add(Shape::Pulse, {p.upper}, {p.event.path}, tr("✎ modified"));
}

} // namespace

int AnimationPlan::phase(const QString &name, int durationMs)
{
    phases.append({name, durationMs});
    return static_cast<int>(phases.size()) - 1;
}

void AnimationPlan::add(AnimationPart::Shape shape, QList<int> cols, QStringList rows, const QString &label)
{
    if (cols.contains(-1))
        return;
    parts.append({shape, std::move(cols), std::move(rows), label, std::max(0, static_cast<int>(phases.size()) - 1)});
}

void AnimationPlan::hold(int column, int untilPhase, const QString &text)
{
    if (column >= 0)
        holds.append({column, text, untilPhase});
}

void AnimationPlan::blank(int column, const QString &path)
{
    if (column >= 0)
        blanks.append({column, path});
}

const EventStyle &EventStyle::of(OverlayEvent::Kind kind)
{
    using SP = QStyle::StandardPixmap;
    // † rather than a tombstone emoji: the default fonts can draw it.
    static const EventStyle created {QStringLiteral("✚"), QColor(0x2e, 0x7d, 0x32), SP::SP_FileIcon, planCreated};
    static const EventStyle copyUp {QStringLiteral("↑"), QColor(0x15, 0x65, 0xc0), SP::SP_ArrowUp, planCopyUp};
    static const EventStyle metacopy {QStringLiteral("↑"), QColor(0x15, 0x65, 0xc0), SP::SP_ArrowUp, planCopyUp};
    static const EventStyle whiteout {QStringLiteral("†"), QColor(0xb7, 0x1c, 0x1c), SP::SP_TrashIcon, planWhiteout};
    static const EventStyle opaque {QStringLiteral("▦"), QColor(0x6a, 0x1b, 0x9a), SP::SP_DialogNoButton, planOpaque};
    static const EventStyle redirect {QStringLiteral("↪"), QColor(0xe6, 0x51, 0x00), SP::SP_FileIcon, planRedirect};
    static const EventStyle removed {
        QStringLiteral("✖"), QColor(0x61, 0x61, 0x61), SP::SP_DialogDiscardButton, planRemoved};
    static const EventStyle modified {QStringLiteral("✎"), QColor(0x8a, 0x6d, 0x00), SP::SP_FileIcon, planModified};
    static const EventStyle renamed {QStringLiteral("✎"), QColor(0x8a, 0x6d, 0x00), SP::SP_FileIcon, planRenamed};
    static const EventStyle workTemp {
        QStringLiteral("⚙"), QColor(0x00, 0x83, 0x8f), SP::SP_BrowserReload, planWorkTemp};
    switch (kind) {
    case Kind::Created:
        return created;
    case Kind::CopyUp:
        return copyUp;
    case Kind::Metacopy:
        return metacopy;
    case Kind::Whiteout:
        return whiteout;
    case Kind::Opaque:
        return opaque;
    case Kind::Redirect:
        return redirect;
    case Kind::Removed:
        return removed;
    case Kind::Modified:
        return modified;
    case Kind::Renamed:
        return renamed;
    case Kind::WorkTemp:
        return workTemp;
    }
    return modified;
}

QString EventStyle::shapeName(AnimationPart::Shape shape)
{
    static constexpr std::array<const char *, 9> Names {
        "Travel", "Tombstone", "GreyOut", "Curtain", "Arrow", "Appear", "Vanish", "Pulse", "Staged"}; // in enum order
    return wordOf(Names, shape);
}

QString EventStyle::meaning(OverlayEvent::Kind kind)
{
    switch (kind) {
    case Kind::Created:
        return tr("A new name, written to the upper layer only.");
    case Kind::CopyUp:
        return tr("The first write to a lower file: the kernel copies it (data and metadata) to upper, staging the "
                  "copy in work first; from then on the merged view shows the upper copy.");
    case Kind::Metacopy:
        return tr("With metacopy=on a change of metadata (chmod, chown) copies only the inode to upper; the data "
                  "stays in the lower layer.");
    case Kind::Whiteout:
        return tr("Deleting a name a lower layer has: upper gets a whiteout (a character device 0/0) that hides the "
                  "lower copies from the merged view.");
    case Kind::Opaque:
        return tr("A directory made again where a lower one was: the xattr opaque=y hides everything the lower "
                  "directories hold.");
    case Kind::Redirect:
        return tr("A directory renamed with redirect_dir=on: the xattr redirect says where its lower contents are.");
    case Kind::Removed:
        return tr("A name only upper had is removed: nothing below to hide.");
    case Kind::Modified:
        return tr("An upper file's content or metadata changed in place.");
    case Kind::Renamed:
        return tr("A name moved within the upper layer.");
    case Kind::WorkTemp:
        return tr("A copy-up or a whiteout staged in work: the kernel prepares it there, then renames it into upper.");
    }
    return {};
}

QString EventStyle::roleGlyph(LayerRole role)
{
    static constexpr std::array<const char *, 4> Glyphs {"▤", "✎", "⚙", "⊕"}; // in LayerRole's order
    return wordOf(Glyphs, role);
}

QStringList EventStyle::workNotes(const QString &name)
{
    return {tr("⚙ a copy of %1 is staged here").arg(name),
        tr("⚙ a copy of %1: staged by the kernel, not observed").arg(name)};
}

QString EventStyle::roleMeaning(LayerRole role)
{
    switch (role) {
    case LayerRole::Lower:
        return tr("Read-only; numbered from the bottom (lower 1). A higher lower layer wins over a lower one.");
    case LayerRole::Upper:
        return tr("Writable: every change to the merged view lands here (new files, copies, whiteouts).");
    case LayerRole::Work:
        return tr("The kernel's staging directory: copies are prepared here and renamed into upper; nothing stays.");
    case LayerRole::Merged:
        return tr("What programs see: upper over the lowers, whiteouts applied.");
    }
    return {};
}

const QList<EventStyle::Mark> &EventStyle::marks()
{
    using W = Mark::Where;
    static const QList<Mark> all {
        {QStringLiteral("✔"),
            tr("provides it / from upper_layer"),
            tr("This layer's copy is what the merged view shows."),
            W::Columns},
        {QStringLiteral("†"),
            tr("its whiteout hides the lower copies"),
            tr("A whiteout (0/0 device) in this layer deletes the name."),
            W::Columns},
        {QStringLiteral("✖"),
            tr("hidden by the whiteout / deleted"),
            tr("A whiteout above hides this copy; the name is gone from the merged view."),
            W::Columns},
        {QStringLiteral("▽"),
            tr("shadowed by …"),
            tr("A layer above has the same name: this copy is not seen."),
            W::Columns},
        {QStringLiteral("⊕"),
            tr("merged into the view"),
            tr("A directory: its entries join those of the layers above."),
            W::Columns},
        {QStringLiteral("▦"),
            tr("hidden by an opaque directory above"),
            tr("An opaque directory above hides this one's entries."),
            W::Columns},
        {QStringLiteral("⛁"),
            tr("holds the data (metacopy)"),
            tr("Upper has only the metadata; the data is read from here."),
            W::Columns},
        {QStringLiteral("⚙"),
            tr("staging only"),
            tr("The work directory keeps nothing once an edit is over."),
            W::Columns},
        {QStringLiteral("·"),
            tr("here, not used"),
            tr("This layer has the path but the merged view does not use it."),
            W::Columns},
        {QStringLiteral("—"), tr("not in this layer"), tr("The layer has no such name."), W::Columns},
        {QStringLiteral("✔"), tr("provides"), tr("The plane whose copy the merged view shows."), W::Diagram},
        {QStringLiteral("⊘"), tr("shadowed"), tr("A copy hidden by a layer above."), W::Diagram},
        {QStringLiteral("†"),
            tr("hides it below"),
            tr("The plane holding the whiteout or opaque directory."),
            W::Diagram},
        {QStringLiteral("◉"),
            tr("shows … from …"),
            tr("The merged plane and the layer it takes the path from."),
            W::Diagram},
        {QStringLiteral("∅"), tr("not visible"), tr("The merged view does not show the path."), W::Diagram},
        {QString(), tr("deleted (whiteout)"), tr("A whiteout: shown only with View → Show Deleted Entries."), W::Tree},
        {QString(), tr("opaque"), tr("An opaque directory (xattr opaque=y)."), W::Tree},
        {QString(), tr("redirect → …"), tr("A renamed directory and where its lower contents are."), W::Tree},
        {QString(), tr("metacopy"), tr("Upper holds the metadata only."), W::Tree},
        {QString(), tr("merged with …"), tr("A directory whose entries join those of these layers."), W::Tree},
        {QString(), tr("shadows … / hides …"), tr("The lower copies this entry hides."), W::Tree},
        {QString(),
            tr("error: … / closed (mode 000)"),
            tr("An entry that could not be read; the kernel's own work directory is closed to normal users by "
               "design."),
            W::Tree},
        {QStringLiteral("●"), tr("Mounted"), tr("The overlay is mounted by the kernel."), W::Window},
        {QStringLiteral("○"),
            tr("Not mounted"),
            tr("The merged view is computed from the layer directories."),
            W::Window},
        {QStringLiteral("◔"), tr("Working…"), tr("An edit is running; the window waits for it."), W::Window},
        {QStringLiteral("⌨"),
            tr("a terminal or another program"),
            tr("An edit seen by the watcher, made outside the app."),
            W::Window},
        {QStringLiteral("⚠"), tr("a problem"), tr("A layer could not be read completely."), W::Window},
    };
    return all;
}

QList<AnimationPart> EventStyle::sampleParts(OverlayEvent::Kind kind)
{
    AnimationPlan p;
    p.event.kind = kind;
    p.event.path = QStringLiteral("/dir/file.txt");
    p.event.fromPath = QStringLiteral("old.txt");
    p.event.fromLayer = QStringLiteral("lower_layer");
    p.event.toLayer = QStringLiteral("upper_layer");
    p.lower = 0;
    p.upper = 1;
    p.work = 2;
    p.merged = 3;
    p.lowersWith = {0};
    p.lowerWith = [](const QString &) {
        return 0;
    };
    of(kind).plan(p);
    return p.parts;
}

} // namespace strata
