// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>

namespace strata
{

/// One path that differs between two images, as `docker diff` names changes: A (only in B),
/// D (only in A; below a removed directory only the directory is listed), C (in both, with
/// another type, mode, owner, size, link target or content). Times are not compared: two builds
/// of one Dockerfile differ in every mtime.
struct ImageChange {
    QByteArray path; ///< "/a/b", bytes
    char kind = 'C';
    std::int64_t sizeA = -1; ///< -1: not in that image
    std::int64_t sizeB = -1;
    QStringList what; ///< for C: type, mode, owner, size, target, device, content
};

/// `strata compare A B`: what the second image changes against the first, and the layers
/// they share (by diff ID: the same bytes, whatever the store or compression).
struct ImageComparison {
    QString imageA;
    QString imageB;
    QStringList sharedLayers; ///< diff IDs in both, in A's order
    int commonBase = 0; ///< how many bottom layers are the same in both, in order
    int layersA = 0;
    int layersB = 0;
    QVector<ImageChange> changes; ///< by path
    std::int64_t hashedFiles = 0; ///< files whose content had to be read to tell
    QStringList warnings;
};

} // namespace strata
