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

void planWorkTemp(AnimationPlan &p)
{
    const QString name = baseName(p.event.path);
    if (p.lower >= 0)
        p.add(Shape::Travel, {p.lower, p.work}, {p.event.path, QString()}, tr("⚙ %1 → work").arg(name));
    else
        p.add(Shape::Appear, {p.work}, {QString()}, tr("⚙ %1 staged in work").arg(name));
}

void planCopyUp(AnimationPlan &p)
{
    const QString name = baseName(p.event.path);
    const QString &path = p.event.path;
    const QString label
        = p.event.kind == Kind::Metacopy ? tr("↑ metacopy %1 (metadata only)").arg(name) : tr("↑ copy-up %1").arg(name);
    // Right after its work_temp the copy is already in work: it goes on from there.
    if (p.staged && p.work >= 0)
        p.add(Shape::Travel, {p.work, p.upper}, {QString(), path}, label);
    else if (p.work >= 0 && p.lower >= 0)
        p.add(Shape::Travel, {p.lower, p.work, p.upper}, {path, QString(), path}, label);
    else if (p.lower >= 0)
        p.add(Shape::Travel, {p.lower, p.upper}, {path, path}, label);
    p.add(Shape::Pulse, {p.merged}, {path}, tr("now from %1").arg(p.event.toLayer), 0.75);
}

void planWhiteout(AnimationPlan &p)
{
    p.add(Shape::Tombstone, {p.upper}, {p.event.path}, tr("† whiteout 0/0"));
    for (int c : std::as_const(p.lowersWith))
        p.add(Shape::GreyOut, {c}, {p.event.path}, tr("hidden"), 0.3);
    p.add(Shape::GreyOut, {p.merged}, {p.event.path}, tr("gone from merged"), 0.55);
}

void planOpaque(AnimationPlan &p)
{
    p.add(Shape::Pulse, {p.upper}, {p.event.path}, tr("▦ opaque=y"));
    for (int c : std::as_const(p.lowersWith))
        p.add(Shape::Curtain, {c}, {p.event.path}, tr("▦ hidden by opaque %1").arg(baseName(p.event.path)), 0.2);
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
    if (old >= 0 && !e.fromPath.isEmpty())
        p.add(Shape::Arrow, {p.upper, old}, {e.path, oldPath}, tr("↪ redirect → %1").arg(oldPath));
    else
        p.add(Shape::Pulse, {p.upper}, {e.path}, tr("↪ redirect"));
}

void planCreated(AnimationPlan &p)
{
    p.add(Shape::Appear, {p.upper}, {p.event.path}, tr("✚ created"));
    p.add(Shape::Appear, {p.merged}, {p.event.path}, tr("✚ new"), 0.3);
}

void planRemoved(AnimationPlan &p)
{
    const QString label = tr("✖ %1").arg(baseName(p.event.path));
    p.add(Shape::Vanish, {p.upper}, {parentPath(p.event.path)}, label);
    p.add(Shape::Vanish, {p.merged}, {parentPath(p.event.path)}, label, 0.2);
}

void planRenamed(AnimationPlan &p)
{
    p.add(Shape::Appear, {p.upper}, {p.event.path}, tr("✎ renamed from %1").arg(baseName(p.event.fromPath)));
    p.add(Shape::Appear, {p.merged}, {p.event.path}, tr("✎ renamed"), 0.3);
}

void planModified(AnimationPlan &p)
{
    p.add(Shape::Pulse, {p.upper}, {p.event.path}, tr("✎ modified"));
}

} // namespace

void AnimationPlan::add(
    AnimationPart::Shape shape, QList<int> cols, QStringList rows, const QString &label, double startAt)
{
    if (cols.contains(-1))
        return;
    parts.append({shape, std::move(cols), std::move(rows), label, startAt});
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
    static constexpr std::array<const char *, 8> Names {
        "Travel", "Tombstone", "GreyOut", "Curtain", "Arrow", "Appear", "Vanish", "Pulse"}; // in enum order
    return wordOf(Names, shape);
}

} // namespace strata
