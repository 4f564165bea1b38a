// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>

namespace strata
{

/// A path seen in two or more layers (dive's "inefficient file"): how often, and the sizes
/// of all its occurrences together, the surviving copy included.
struct FileReference {
    QByteArray path; ///< "/a/b", bytes
    std::uint32_t count = 0;
    std::int64_t sizeBytes = 0;
};

/// One change of a layer (`--changes`): a leaf added, modified or removed, as dive marks them.
struct LayerChange {
    QByteArray path; ///< "/a/b", bytes
    char kind = 'A'; ///< A added, M modified, D removed
    std::int64_t sizeBytes = 0; ///< the layer's entry, or what the removal deletes
};

/// What one layer changed, against the layers below it. Only leaves count (files, links,
/// devices, empty directories), as in the efficiency figures; `removed` are whiteouts (file,
/// directory, and with the opaque-aware count, what an opaque directory hides).
struct LayerAnalysis {
    int index = 0; ///< 0 is the bottom layer
    QString diffId;
    QString command; ///< dive's: created_by without one leading "/bin/sh -c ", or "(missing)"
    std::int64_t sizeBytes = 0; ///< dive's: the sum of the tar header sizes of all entries
    std::int64_t entries = 0; ///< tar entries, whiteouts and opaque markers included
    std::int64_t added = 0;
    std::int64_t modified = 0;
    std::int64_t removed = 0;
    std::int64_t addedBytes = 0;
    std::int64_t modifiedBytes = 0;
    std::int64_t removedBytes = 0; ///< what the whiteouts delete, as dive sizes them
    std::int64_t opaqueDirectories = 0; ///< `.wh..wh..opq` markers (dive ignores them)
    /// The changes themselves, in dive's order (child first, by name); only when asked for.
    QVector<LayerChange> changes;
};

/// An image's waste exactly as dive figures it (filetree/efficiency.go, image/analysis.go;
/// docs/analysis.md), and the same figures with opaque directories taken into account.
struct ImageAnalysis {
    QString image;
    QVector<LayerAnalysis> layers; ///< bottom first
    std::int64_t sizeBytes = 0;
    std::int64_t userSizeBytes = 0; ///< every layer but layer 0
    std::int64_t inefficientBytes = 0; ///< dive's WastedBytes
    double efficiency = 1.0;
    /// inefficientBytes / userSizeBytes: NaN for 0/0 and +Inf for x/0, as dive computes it.
    double userWastedPercent = 0;
    QVector<FileReference> fileReferences; ///< largest first, as dive lists them
    /// The same figures when `.wh..wh..opq` hides what is below it (dive drops the marker).
    std::int64_t wastedBytesOpaqueAware = 0;
    double efficiencyOpaqueAware = 1.0;
    QVector<FileReference> fileReferencesOpaqueAware;
    /// Layers that could not be read in full, each naming the layer.
    QStringList warnings;
};

} // namespace strata
