// SPDX-License-Identifier: GPL-2.0-or-later
#include "legend.h"

#include "core/merge/layerrole.h"
#include "ui/common/eventstyle.h"
#include "ui/common/ink.h"
#include "ui/common/mergedtreemodel.h"

namespace strata
{

namespace
{
using Kind = OverlayEvent::Kind;
constexpr int KindCount = static_cast<int>(Kind::WorkTemp) + 1;
constexpr int RoleCount = static_cast<int>(LayerRole::Merged) + 1;

QString cell(const QString &text)
{
    return QStringLiteral("<td>%1</td>").arg(text);
}

QString swatch(const QColor &c)
{
    return QStringLiteral("<span style=\"background:%1;\">&nbsp;&nbsp;&nbsp;&nbsp;</span>").arg(c.name());
}

QString roleColour(LayerRole role)
{
    switch (role) {
    case LayerRole::Lower:
        return swatch(MergedTreeModel::layerColor(1, 3, false)) + swatch(MergedTreeModel::layerColor(2, 3, false));
    case LayerRole::Upper:
        return swatch(MergedTreeModel::layerColor(0, 3, true));
    case LayerRole::Work:
    case LayerRole::Merged:
        return {};
    }
    return {};
}

QString rolesTable()
{
    QString rows;
    for (int r = 0; r < RoleCount; ++r) {
        const auto role = static_cast<LayerRole>(r);
        rows += QStringLiteral("<tr>") + cell(QStringLiteral("<big>%1</big>").arg(EventStyle::roleGlyph(role)))
            + cell(QStringLiteral("<b>%1</b>").arg(roleName(role))) + cell(roleColour(role))
            + cell(EventStyle::roleMeaning(role).toHtmlEscaped()) + QStringLiteral("</tr>");
    }
    return rows;
}

QString eventsTable(const QPalette &palette)
{
    QString rows;
    for (int k = 0; k < KindCount; ++k) {
        const auto kind = static_cast<Kind>(k);
        const QString colour = Ink::event(kind, palette).name();
        QStringList shown;
        for (const AnimationPart &part : EventStyle::sampleParts(kind))
            shown << QStringLiteral("“%1”").arg(part.label.toHtmlEscaped());
        rows += QStringLiteral("<tr>")
            + cell(QStringLiteral("<big><span style=\"color:%1;\">%2</span></big>")
                       .arg(colour, EventStyle::of(kind).glyph))
            + cell(QStringLiteral("<b style=\"color:%1;\">%2</b>").arg(colour, OverlayEvent::kindName(kind)))
            + cell(EventStyle::meaning(kind).toHtmlEscaped()
                + (shown.isEmpty() ? QString()
                                   : QStringLiteral("<br><i>%1</i> %2")
                                         .arg(Legend::tr("On the columns:"), shown.join(QStringLiteral(", ")))))
            + QStringLiteral("</tr>");
    }
    return rows;
}

QString marksTable(EventStyle::Mark::Where where)
{
    QString rows;
    for (const EventStyle::Mark &m : EventStyle::marks()) {
        if (m.where != where)
            continue;
        rows += QStringLiteral("<tr>") + cell(QStringLiteral("<big>%1</big>").arg(m.glyph.toHtmlEscaped()))
            + cell(QStringLiteral("<b>%1</b>").arg(m.words.toHtmlEscaped())) + cell(m.meaning.toHtmlEscaped())
            + QStringLiteral("</tr>");
    }
    return rows;
}

QString section(const QString &title, const QString &intro, const QString &rows)
{
    return QStringLiteral("<h3>%1</h3><p>%2</p><table cellspacing=\"0\" cellpadding=\"3\">%3</table>")
        .arg(title.toHtmlEscaped(), intro.toHtmlEscaped(), rows);
}
} // namespace

QString Legend::html(const QPalette &palette)
{
    using Where = EventStyle::Mark::Where;
    QString page = QStringLiteral("<h2>%1</h2><p>%2</p>")
                       .arg(tr("What am I looking at?"),
                           tr("An overlay shows one directory tree, the merged view, made of layers: read-only lower "
                              "layers, one writable upper layer and a work directory the kernel stages changes in. "
                              "Every colour below comes with a glyph and words: colour alone never carries the "
                              "meaning."));
    page += section(
        tr("Layer roles"), tr("Each column and each plane of the stack diagram is one of these."), rolesTable());
    page += section(tr("Events"),
        tr("What the kernel did during an edit: the timeline lists them, the captions explain them, the columns "
           "animate them."),
        eventsTable(palette));
    page += section(
        tr("Notes in the layer columns"), tr("Below each column, for the selected path."), marksTable(Where::Columns));
    page += section(
        tr("Tags on the stack diagram"), tr("On the planes, for the selected path."), marksTable(Where::Diagram));
    page += section(tr("Notes in the merged view"),
        tr("The Notes column of the merged tree; deleted entries are struck through and dimmed."),
        marksTable(Where::Tree));
    page += section(tr("Elsewhere in the window"), QString(), marksTable(Where::Window));
    return page;
}

QStringList Legend::texts()
{
    QStringList t;
    for (int r = 0; r < RoleCount; ++r)
        t << EventStyle::roleGlyph(static_cast<LayerRole>(r)) << roleName(static_cast<LayerRole>(r));
    for (int k = 0; k < KindCount; ++k) {
        t << EventStyle::of(static_cast<Kind>(k)).glyph << OverlayEvent::kindName(static_cast<Kind>(k));
        for (const AnimationPart &part : EventStyle::sampleParts(static_cast<Kind>(k)))
            t << part.label;
    }
    for (const EventStyle::Mark &m : EventStyle::marks())
        t << m.glyph << m.words;
    return t;
}

} // namespace strata
