// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/imageanalyzer.h"

#include "core/analysis/efficiencyrun.h"
#include "core/analysis/layerstream.h"
#include "core/image/imagestore.h"
#include "core/util/scancontrol.h"

#include <cerrno>

namespace strata
{

namespace
{

// One pass over every layer; false when cancelled.
Result<bool> runOver(
    const ImageStore &store, qsizetype image, EfficiencyRun &run, ImageAnalysis &out, ScanControl *control)
{
    const qsizetype count = store.imageLayerCount(image);
    const bool first = out.layers.isEmpty();
    for (qsizetype k = 0; k < count; ++k) {
        const StoreLayer &layer = store.imageLayerAt(image, k);
        run.beginLayer();
        const Status read = LayerStream::read(
            layer,
            [&run](const TarEntry &e) {
                run.add(e);
                return true;
            },
            control);
        if (!read && read.error().code == ECANCELED)
            return read.error();
        if (!read && first)
            out.warnings << QStringLiteral("%1: %2").arg(layer.name, read.error().message);
        if (first) {
            LayerAnalysis l;
            l.index = int(k);
            l.diffId = layer.diffId;
            l.command = ImageAnalyzer::diveCommand(layer);
            out.layers.push_back(l);
        }
        run.endLayer(out.layers[k]);
    }
    return true;
}

} // namespace

QString ImageAnalyzer::diveCommand(const StoreLayer &layer)
{
    if (layer.historyIndex < 0)
        return QStringLiteral("(missing)");
    QString c = layer.createdByRaw;
    const QLatin1String shell("/bin/sh -c ");
    if (c.startsWith(shell))
        c.remove(0, shell.size());
    return c;
}

Result<ImageAnalysis> ImageAnalyzer::analyze(
    const ImageStore &store, qsizetype image, ScanControl *control, bool changes)
{
    ImageAnalysis out;
    out.image = store.imageAt(image).displayName();
    bool sawOpaque = false;
    {
        // Gone before the second pass: the two runs never hold their tables at once.
        EfficiencyRun dive(false, changes);
        if (auto r = runOver(store, image, dive, out, control); !r)
            return r.error();
        out.efficiency = dive.efficiency();
        out.inefficientBytes = dive.inefficientBytes();
        out.fileReferences = dive.references();
        sawOpaque = dive.sawOpaque();
    }
    for (const LayerAnalysis &l : std::as_const(out.layers)) {
        out.sizeBytes += l.sizeBytes;
        if (l.index != 0)
            out.userSizeBytes += l.sizeBytes;
    }
    out.userWastedPercent = double(out.inefficientBytes) / double(out.userSizeBytes);
    if (!sawOpaque) {
        out.wastedBytesOpaqueAware = out.inefficientBytes;
        out.efficiencyOpaqueAware = out.efficiency;
        out.fileReferencesOpaqueAware = out.fileReferences;
        return out;
    }
    EfficiencyRun aware(true, changes);
    if (auto r = runOver(store, image, aware, out, control); !r)
        return r.error();
    out.wastedBytesOpaqueAware = aware.inefficientBytes();
    out.efficiencyOpaqueAware = aware.efficiency();
    out.fileReferencesOpaqueAware = aware.references();
    return out;
}

} // namespace strata
