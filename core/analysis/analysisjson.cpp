// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/analysisjson.h"

#include "core/analysis/imageanalysis.h"
#include "core/image/imagestore.h"
#include "core/util/jsonwriter.h"

namespace strata
{

namespace
{

void writeReferences(JsonWriter &w, const QVector<FileReference> &refs)
{
    w.beginArray(JsonWriter::Layout::Lines);
    for (const FileReference &r : refs) {
        w.beginObject().path("path", r.path).field("count", qint64(r.count)).field("size_bytes", qint64(r.sizeBytes));
        w.endObject();
    }
    w.endArray();
}

} // namespace

void AnalysisJson::write(JsonWriter &w, const ImageStore &store, const ImageAnalysis &a, bool withChanges)
{
    w.beginObject().field("image", a.image).field("source", store.root()).field("store", store.kindName());
    w.field("size_bytes", qint64(a.sizeBytes)).field("user_size_bytes", qint64(a.userSizeBytes));
    w.field("inefficient_bytes", qint64(a.inefficientBytes)).field("efficiency", a.efficiency);
    w.field("user_wasted_percent", a.userWastedPercent);
    w.field("wasted_bytes_opaque_aware", qint64(a.wastedBytesOpaqueAware));
    w.field("efficiency_opaque_aware", a.efficiencyOpaqueAware);
    w.key("file_references");
    writeReferences(w, a.fileReferences);
    w.key("file_references_opaque_aware");
    writeReferences(w, a.fileReferencesOpaqueAware);
    w.key("layers").beginArray(JsonWriter::Layout::Lines);
    for (const LayerAnalysis &l : a.layers) {
        w.beginObject().field("index", l.index).field("diff_id", l.diffId).field("command", l.command);
        w.field("size_bytes", qint64(l.sizeBytes)).field("entries", qint64(l.entries));
        w.field("added", qint64(l.added)).field("modified", qint64(l.modified)).field("removed", qint64(l.removed));
        w.field("added_bytes", qint64(l.addedBytes)).field("modified_bytes", qint64(l.modifiedBytes));
        w.field("removed_bytes", qint64(l.removedBytes)).field("opaque_directories", qint64(l.opaqueDirectories));
        if (withChanges) {
            w.key("changes").beginArray(JsonWriter::Layout::Lines);
            for (const LayerChange &c : l.changes) {
                w.beginObject().path("path", c.path).field("kind", QString(QLatin1Char(c.kind)));
                w.field("size_bytes", qint64(c.sizeBytes)).endObject();
            }
            w.endArray();
        }
        w.endObject();
    }
    w.endArray();
    w.field("warnings", a.warnings);
}

std::string AnalysisJson::document(const ImageStore &store, const ImageAnalysis &a, bool withChanges)
{
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Indented);
    write(w, store, a, withChanges);
    w.endObject();
    return out + '\n';
}

} // namespace strata
