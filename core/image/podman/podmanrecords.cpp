// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmanrecords.h"

#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cerrno>

namespace strata
{

namespace
{

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray()) {
        if (s.isString())
            out << s.toString();
    }
    return out;
}

qint64 count(const QJsonValue &v)
{
    return v.isDouble() ? static_cast<qint64>(v.toDouble()) : -1;
}

// The record's object and its ID, or a problem naming record `i` of `path`.
std::optional<QJsonObject> record(
    const QJsonValue &v, qsizetype i, const QString &path, const char *what, StoreProblems &problems)
{
    const QJsonObject o = v.toObject();
    const QString id = o.value(QLatin1String("id")).toString();
    if (!v.isObject() || !StoreFiles::isHex64(id)) {
        problems.push_back({path,
            QStringLiteral("%1 %2 has no usable ID (%3): left out")
                .arg(QLatin1String(what))
                .arg(i)
                .arg(id.isEmpty() ? QStringLiteral("none") : QStringLiteral("\"%1\"").arg(id.left(80)))});
        return std::nullopt;
    }
    return o;
}

} // namespace

std::optional<QJsonArray> PodmanRecords::readArray(const QString &path, StoreProblems &problems, bool optional)
{
    auto data = MetadataFile::read(path);
    if (!data) {
        if (!(optional && data.error().code == ENOENT))
            StoreFiles::report(problems, data.error());
        return optional && data.error().code == ENOENT ? std::optional<QJsonArray>(QJsonArray()) : std::nullopt;
    }
    QJsonParseError e {};
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &e);
    if (e.error != QJsonParseError::NoError) {
        problems.push_back(
            {path, QStringLiteral("not valid JSON at offset %1: %2").arg(e.offset).arg(e.errorString())});
        return std::nullopt;
    }
    if (!doc.isArray()) {
        problems.push_back({path, QStringLiteral("not a JSON array")});
        return std::nullopt;
    }
    return doc.array();
}

QVector<PodmanLayerRecord> PodmanRecords::layers(
    const QJsonArray &records, const QString &path, bool isVolatile, StoreProblems &problems)
{
    QVector<PodmanLayerRecord> out;
    for (qsizetype i = 0; i < records.size(); ++i) {
        const auto o = record(records.at(i), i, path, "layer", problems);
        if (!o)
            continue;
        PodmanLayerRecord l;
        l.id = o->value(QLatin1String("id")).toString();
        l.parent = o->value(QLatin1String("parent")).toString();
        l.names = strings(o->value(QLatin1String("names")));
        l.created = o->value(QLatin1String("created")).toString();
        l.diffDigest = o->value(QLatin1String("diff-digest")).toString();
        l.compressedDigest = o->value(QLatin1String("compressed-diff-digest")).toString();
        l.diffSize = count(o->value(QLatin1String("diff-size")));
        l.compressedSize = count(o->value(QLatin1String("compressed-size")));
        l.isVolatile = isVolatile;
        l.incomplete = o->value(QLatin1String("flags")).toObject().value(QLatin1String("incomplete")).toBool();
        if (!l.parent.isEmpty() && !StoreFiles::isHex64(l.parent)) {
            problems.push_back(
                {path, QStringLiteral("layer %1: its parent \"%2\" is no layer ID").arg(l.id, l.parent)});
            l.parent.clear();
        }
        out.push_back(l);
    }
    return out;
}

QVector<PodmanImage> PodmanRecords::images(const QJsonArray &records, const QString &path, StoreProblems &problems)
{
    QVector<PodmanImage> out;
    for (qsizetype i = 0; i < records.size(); ++i) {
        const auto o = record(records.at(i), i, path, "image", problems);
        if (!o)
            continue;
        PodmanImage img;
        img.id = QStringLiteral("sha256:") + o->value(QLatin1String("id")).toString();
        img.names = strings(o->value(QLatin1String("names")));
        img.topLayer = o->value(QLatin1String("layer")).toString();
        img.manifestDigest = o->value(QLatin1String("digest")).toString();
        img.created = o->value(QLatin1String("created")).toString();
        const QJsonObject sizes = o->value(QLatin1String("big-data-sizes")).toObject();
        for (auto it = sizes.begin(); it != sizes.end(); ++it)
            img.bigDataSize += std::max<qint64>(0, count(it.value()));
        out.push_back(img);
    }
    return out;
}

QVector<PodmanContainer> PodmanRecords::containers(
    const QJsonArray &records, const QString &path, StoreProblems &problems)
{
    QVector<PodmanContainer> out;
    for (qsizetype i = 0; i < records.size(); ++i) {
        const auto o = record(records.at(i), i, path, "container", problems);
        if (!o)
            continue;
        PodmanContainer c;
        c.id = o->value(QLatin1String("id")).toString();
        c.names = strings(o->value(QLatin1String("names")));
        c.name = c.names.value(0);
        const QString image = o->value(QLatin1String("image")).toString();
        c.imageId = image.isEmpty() ? QString() : QStringLiteral("sha256:") + image;
        c.layerId = o->value(QLatin1String("layer")).toString();
        c.created = o->value(QLatin1String("created")).toString();
        // "metadata" is JSON in a string; libpod keeps the name the user gave the image there.
        const QJsonObject meta
            = QJsonDocument::fromJson(o->value(QLatin1String("metadata")).toString().toUtf8()).object();
        c.image = meta.value(QLatin1String("image-name")).toString();
        out.push_back(c);
    }
    return out;
}

QString PodmanRecords::bigDataFileName(const QString &key)
{
    for (const QChar ch : key) {
        const bool plain = ch == QLatin1Char('.') || (ch >= QLatin1Char('0') && ch <= QLatin1Char('9'))
            || (ch >= QLatin1Char('a') && ch <= QLatin1Char('z'));
        if (!plain)
            return QLatin1Char('=') + QString::fromLatin1(key.toUtf8().toBase64());
    }
    return key;
}

} // namespace strata
