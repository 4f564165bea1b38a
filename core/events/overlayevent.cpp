// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayevent.h"

#include "core/util/enumwords.h"
#include "core/util/filename.h"
#include "core/util/jsonwriter.h"

namespace strata
{

QString OverlayEvent::kindName(Kind kind)
{
    // In Kind's order (tst_enumwords).
    static constexpr std::array<const char *, 10> Names {"created",
        "copy_up",
        "metacopy",
        "whiteout",
        "opaque",
        "redirect",
        "removed",
        "modified",
        "renamed",
        "work_temp"};
    return wordOf(Names, kind, "modified");
}

void OverlayEvent::writeJson(JsonWriter &w) const
{
    w.beginObject()
        .field("kind", kindName(kind))
        .path("path", path)
        .fieldOrNull("from_layer", fromLayer)
        .fieldOrNull("to_layer", toLayer)
        .field("explanation", explanation)
        .field("command", command);
    if (!fromPath.isEmpty())
        w.path("from_path", fromPath);
    if (outside)
        w.field("outside", true);
    w.endObject();
}

QString OverlayEvent::toText() const
{
    QString layers;
    if (!fromLayer.isEmpty() && !toLayer.isEmpty())
        layers = QStringLiteral("%1 -> %2").arg(fromLayer, toLayer);
    else
        layers = toLayer.isEmpty() ? fromLayer : toLayer;
    // The path as a terminal may show it: a name cannot break the line or carry escapes.
    return QStringLiteral("%1  %2  %3\n    %4").arg(kindName(kind), -9).arg(printableText(path), layers, explanation);
}

} // namespace strata
