// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/storeimage.h"
#include "core/image/storeproblem.h"

#include <QJsonObject>
#include <QString>

namespace strata
{

/// An image config (OCI image-spec config.md; what Docker keeps in imagedb, containerd and
/// archives keep as a blob): created, os, architecture, config.User, rootfs.diff_ids and
/// history, read into a StoreImage. A field of the wrong type is a problem and sets the
/// image's error (the first one); the rest is still read.
class ImageConfig final
{
public:
    /// `path` names the file in the messages.
    static void parse(const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems);
    /// Pairs the history with the layers as `docker history` does: every entry without
    /// empty_layer takes the next layer. Sets historyMatches and each entry's layerIndex; adds
    /// a problem to the image when the counts differ.
    static void pairHistory(StoreImage &image);

private:
    static void parseDiffIds(
        const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems);
    static void parseHistory(
        const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems);
    // "expected an array, got a string" for KEY.
    static void typeError(const QString &path,
        const QString &key,
        const char *expected,
        const QJsonValue &got,
        StoreImage &image,
        StoreProblems &problems);
    static void fieldError(
        const QString &path, const QString &key, const QString &what, StoreImage &image, StoreProblems &problems);
};

} // namespace strata
