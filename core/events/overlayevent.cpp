// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayevent.h"

#include "core/util/filename.h"
#include "core/util/jsonwriter.h"

namespace strata
{

QString OverlayEvent::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Created:
        return QStringLiteral("created");
    case Kind::CopyUp:
        return QStringLiteral("copy_up");
    case Kind::Metacopy:
        return QStringLiteral("metacopy");
    case Kind::Whiteout:
        return QStringLiteral("whiteout");
    case Kind::Opaque:
        return QStringLiteral("opaque");
    case Kind::Redirect:
        return QStringLiteral("redirect");
    case Kind::Removed:
        return QStringLiteral("removed");
    case Kind::Modified:
        return QStringLiteral("modified");
    case Kind::Renamed:
        return QStringLiteral("renamed");
    case Kind::WorkTemp:
        return QStringLiteral("work_temp");
    }
    return QStringLiteral("modified");
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
