// SPDX-License-Identifier: GPL-2.0-or-later
#include "storeoutput.h"

#include "app/strata/console.h"
#include "core/util/jsonwriter.h"

namespace strata
{

QString StoreOutput::humanSize(qint64 size)
{
    if (size < 0)
        return QStringLiteral("?");
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(size);
    int u = 0;
    while (v >= 1000.0 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    return QString::number(v, 'g', 3) + QLatin1String(units[u]);
}

std::string StoreOutput::utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

QString StoreOutput::pad(const QString &s, int width)
{
    return s.size() >= width ? s + QLatin1Char(' ') : s.leftJustified(width, QLatin1Char(' '));
}

void StoreOutput::warnProblems(Console &console, const StoreProblems &ps)
{
    constexpr qsizetype Max = 50;
    for (qsizetype i = 0; i < ps.size() && i < Max; ++i)
        console.warn(ps.at(i).text());
    if (ps.size() > Max)
        console.warn(QStringLiteral("... and %1 more (see --json)").arg(ps.size() - Max));
}

void StoreOutput::writeProblems(JsonWriter &w, const StoreProblems &problems)
{
    w.beginArray();
    for (const StoreProblem &p : problems)
        w.beginObject().field("path", p.path).field("message", p.message).endObject();
    w.endArray();
}

int StoreOutput::endListing(Console &console, JsonWriter &w, std::string &out, const StoreProblems &problems)
{
    w.key("problems");
    writeProblems(w, problems);
    w.endObject();
    console.write(out + '\n');
    return Console::Success;
}

QString StoreOutput::containerLines(const StoreContainer &c)
{
    QString out;
    if (!c.upperDir.isEmpty())
        out += QStringLiteral("  upper   %1\n").arg(c.upperDir);
    if (!c.initDir.isEmpty())
        out += QStringLiteral("  init    %1\n").arg(c.initDir);
    if (c.running && !c.mergedDir.isEmpty())
        out += QStringLiteral("  merged  %1  (mounted)\n").arg(c.mergedDir);
    for (qsizetype i = 0; i < c.lowerDirs.size(); ++i)
        out += QStringLiteral("  lower%1  %2\n").arg(i).arg(c.lowerDirs.at(i));
    for (const QString &pr : c.problems)
        out += QStringLiteral("  problem: ") + pr + QLatin1Char('\n');
    return out;
}

void StoreOutput::writeHistory(JsonWriter &w, const HistoryEntry &h)
{
    w.beginObject().fieldOrNull("created", h.created).field("created_by", h.createdBy);
    w.field("created_by_raw", h.createdByRaw).field("comment", h.comment).field("empty_layer", h.emptyLayer);
    w.key("layer_index");
    h.layerIndex >= 0 ? w.value(h.layerIndex) : w.null();
    w.fieldOrNull("image_id", h.imageId).endObject();
}

QString StoreOutput::historyLine(const HistoryEntry &h)
{
    return QStringLiteral("  ")
        + pad(h.layerIndex >= 0 ? QStringLiteral("layer %1").arg(h.layerIndex)
                                : (h.emptyLayer ? QStringLiteral("no layer") : QStringLiteral("layer ?")),
            10)
        + h.createdBy + QLatin1Char('\n');
}

void StoreOutput::writeMadeBy(JsonWriter &w, const QString &createdBy, const QString &createdByRaw, int historyIndex)
{
    const bool known = historyIndex >= 0;
    w.key("created_by");
    known ? w.value(createdBy) : w.null();
    w.key("created_by_raw");
    known ? w.value(createdByRaw) : w.null();
    w.key("history_index");
    known ? w.value(historyIndex) : w.null();
}

QString StoreOutput::layerRowEnd(const StoreLayer &l)
{
    QString out = (l.historyIndex >= 0 ? l.createdBy : QStringLiteral("(unknown)")) + QLatin1Char('\n');
    if (!l.diffDir.isEmpty())
        out += QStringLiteral("     ") + l.diffDir + QLatin1Char('\n');
    for (const QString &pr : l.problems)
        out += QStringLiteral("     problem: ") + pr + QLatin1Char('\n');
    return out;
}

QString StoreOutput::historySection(const QVector<HistoryEntry> &history)
{
    QString out = QStringLiteral("history, oldest first:\n");
    for (const HistoryEntry &h : history)
        out += historyLine(h);
    return out;
}

void StoreOutput::writeImageEnd(JsonWriter &w, const StoreImage &image)
{
    w.key("history").beginArray();
    for (const HistoryEntry &h : image.history)
        writeHistory(w, h);
    w.endArray().field("history_matches", image.historyMatches).fieldOrNull("error", image.error);
    w.field("problems", image.problems).endObject();
}

} // namespace strata
