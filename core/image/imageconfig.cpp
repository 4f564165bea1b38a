// SPDX-License-Identifier: GPL-2.0-or-later
#include "imageconfig.h"

#include "core/image/chainid.h"
#include "core/image/createdby.h"
#include "core/image/storefiles.h"
#include "core/util/jsonstring.h"

#include <QJsonArray>

#include <cerrno>

namespace strata
{

void ImageConfig::parse(const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems)
{
    image.created = config.value(QStringLiteral("created")).toString();
    image.os = config.value(QStringLiteral("os")).toString();
    image.architecture = config.value(QStringLiteral("architecture")).toString();
    const QJsonValue cfg = config.value(QStringLiteral("config"));
    if (cfg.isObject())
        image.user = cfg.toObject().value(QStringLiteral("User")).toString();
    parseDiffIds(config, path, image, problems);
    parseHistory(config, path, image, problems);
}

void ImageConfig::parseDiffIds(
    const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems)
{
    const QJsonValue rootfs = config.value(QStringLiteral("rootfs"));
    const QJsonValue diffIds = rootfs.toObject().value(QStringLiteral("diff_ids"));
    if (!rootfs.isObject()) {
        typeError(path, QStringLiteral("rootfs"), "an object", rootfs, image, problems);
        return;
    }
    if (!diffIds.isArray() && !diffIds.isNull() && !diffIds.isUndefined()) {
        typeError(path, QStringLiteral("rootfs.diff_ids"), "an array", diffIds, image, problems);
        return;
    }
    const QJsonArray arr = diffIds.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString d = arr.at(i).toString();
        if (!ChainId::isDigest(d)) {
            fieldError(path,
                QStringLiteral("rootfs.diff_ids[%1]").arg(i),
                QStringLiteral("not a sha256 digest"),
                image,
                problems);
            image.diffIds.clear();
            return;
        }
        image.diffIds << d;
    }
}

void ImageConfig::parseHistory(
    const QJsonObject &config, const QString &path, StoreImage &image, StoreProblems &problems)
{
    const QJsonValue history = config.value(QStringLiteral("history"));
    if (!history.isArray()) {
        if (!history.isUndefined() && !history.isNull())
            typeError(path, QStringLiteral("history"), "an array", history, image, problems);
        return;
    }
    const QJsonArray arr = history.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QJsonObject h = arr.at(i).toObject();
        HistoryEntry e;
        e.created = h.value(QStringLiteral("created")).toString();
        e.createdByRaw = h.value(QStringLiteral("created_by")).toString();
        e.createdBy = CreatedBy::clean(e.createdByRaw);
        e.comment = h.value(QStringLiteral("comment")).toString();
        e.emptyLayer = h.value(QStringLiteral("empty_layer")).toBool();
        image.history.push_back(e);
    }
}

void ImageConfig::pairHistory(StoreImage &image)
{
    int nonEmpty = 0;
    for (const HistoryEntry &e : std::as_const(image.history))
        nonEmpty += e.emptyLayer ? 0 : 1;
    image.historyMatches = nonEmpty == image.diffIds.size();
    if (image.historyMatches) {
        int k = 0;
        for (HistoryEntry &e : image.history)
            e.layerIndex = e.emptyLayer ? -1 : k++;
    } else if (!image.history.isEmpty()) {
        image.problems << QStringLiteral("%1 history entries make layers but the image has %2 layers: which "
                                         "instruction made which layer is unknown")
                              .arg(nonEmpty)
                              .arg(image.diffIds.size());
    }
}

void ImageConfig::fieldError(
    const QString &path, const QString &key, const QString &what, StoreImage &image, StoreProblems &problems)
{
    const QString msg = QStringLiteral("%1: %2: %3").arg(path, key, what);
    if (image.error.isEmpty())
        image.error = msg;
    StoreFiles::report(problems, Error {EINVAL, msg});
}

void ImageConfig::typeError(const QString &path,
    const QString &key,
    const char *expected,
    const QJsonValue &got,
    StoreImage &image,
    StoreProblems &problems)
{
    fieldError(path,
        key,
        QStringLiteral("expected %1, got %2").arg(QLatin1String(expected), jsonTypeName(got)),
        image,
        problems);
}

} // namespace strata
