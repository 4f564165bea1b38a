// SPDX-License-Identifier: GPL-2.0-or-later
#include "fakedockerroot.h"

#include "core/image/chainid.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace strata::test
{

namespace
{

// A history entry as the legacy builder writes it.
QJsonObject entry(const char *createdBy, bool empty = false)
{
    QJsonObject o {{QStringLiteral("created"), QStringLiteral("2024-01-01T10:00:00Z")},
        {QStringLiteral("created_by"), QLatin1String(createdBy)}};
    if (empty)
        o.insert(QStringLiteral("empty_layer"), true);
    return o;
}

} // namespace

QString FakeDockerRoot::hex(const QByteArray &seed)
{
    return QString::fromLatin1(QCryptographicHash::hash(seed, QCryptographicHash::Sha256).toHex());
}

bool FakeDockerRoot::writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QString FakeDockerRoot::diff(const QString &cacheId) const
{
    return root + QStringLiteral("/overlay2/") + cacheId + QStringLiteral("/diff");
}

bool FakeDockerRoot::build(const QString &dir, qint64 bigFileSize, bool extraBaseTag)
{
    root = dir;
    for (int k = 0; k < 3; ++k) {
        diffIds << QStringLiteral("sha256:") + hex("diff" + QByteArray::number(k));
        cacheIds << hex("cache" + QByteArray::number(k));
        links << QStringLiteral("LAYER%1ABCDEFGHIJKLMNOPQRS").arg(k);
    }
    chainIds = ChainId::chain(diffIds);
    return buildLayers(bigFileSize) && buildImages(extraBaseTag) && buildContainer();
}

bool FakeDockerRoot::buildLayers(qint64 bigFileSize)
{
    const QString ov = root + QStringLiteral("/overlay2");
    const QString img = root + QStringLiteral("/image/overlay2");
    bool ok = QDir().mkpath(ov + QStringLiteral("/l"));
    ok &= writeFile(diff(cacheIds[0]) + QStringLiteral("/bin/sh"), "#!busybox\n");
    ok &= writeFile(diff(cacheIds[0]) + QStringLiteral("/etc/hostname"), "base\n");
    ok &= writeFile(diff(cacheIds[1]) + QStringLiteral("/app/takbir.txt"), "Allahu Akbar\n");
    ok &= writeFile(diff(cacheIds[2]) + QStringLiteral("/app/out.txt"), "Allahu Akbar\n");
    if (bigFileSize > 0)
        ok &= writeFile(diff(cacheIds[2]) + QStringLiteral("/app/big.bin"), QByteArray(bigFileSize, 'x'));
    for (int k = 0; k < 3; ++k) {
        const QString d = ov + QLatin1Char('/') + cacheIds[k];
        ok &= writeFile(d + QStringLiteral("/link"), links[k].toLatin1());
        QStringList lower;
        for (int j = k - 1; j >= 0; --j)
            lower << QStringLiteral("l/") + links[j];
        if (k > 0)
            ok &= writeFile(d + QStringLiteral("/lower"), lower.join(QLatin1Char(':')).toLatin1());
        if (k < 2)
            ok &= writeFile(d + QStringLiteral("/committed"), {});
        QDir().mkpath(d + QStringLiteral("/work"));
        ok &= QFile::link(QStringLiteral("../%1/diff").arg(cacheIds[k]), ov + QStringLiteral("/l/") + links[k]);
        const QString ldb = img + QStringLiteral("/layerdb/sha256/") + ChainId::hex(chainIds[k]);
        ok &= writeFile(ldb + QStringLiteral("/diff"), diffIds[k].toLatin1());
        ok &= writeFile(ldb + QStringLiteral("/cache-id"), cacheIds[k].toLatin1());
        ok &= writeFile(ldb + QStringLiteral("/size"), QByteArray::number(1000 * (k + 1)));
        if (k > 0)
            ok &= writeFile(ldb + QStringLiteral("/parent"), chainIds[k - 1].toLatin1());
    }
    return ok;
}

// The image config of the bottom `layers` layers; its ID.
QString FakeDockerRoot::writeConfig(int layers, const QByteArray &history, const char *created, const char *user)
{
    QJsonArray ids;
    for (int k = 0; k < layers; ++k)
        ids << diffIds[k];
    const QJsonObject o {{QStringLiteral("architecture"), QStringLiteral("amd64")},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("created"), QLatin1String(created)},
        {QStringLiteral("config"), QJsonObject {{QStringLiteral("User"), QLatin1String(user)}}},
        {QStringLiteral("rootfs"),
            QJsonObject {{QStringLiteral("type"), QStringLiteral("layers")}, {QStringLiteral("diff_ids"), ids}}},
        {QStringLiteral("history"), QJsonDocument::fromJson(history).array()}};
    const QByteArray data = QJsonDocument(o).toJson(QJsonDocument::Compact);
    const QString h = hex(data);
    if (!writeFile(root + QStringLiteral("/image/overlay2/imagedb/content/sha256/") + h, data))
        return {};
    return QStringLiteral("sha256:") + h;
}

// Image configs with the legacy builder's history, empty layers included, and their tags.
bool FakeDockerRoot::buildImages(bool extraBaseTag)
{
    const QJsonArray baseHistory {entry("/bin/sh -c #(nop) ADD file:abc123 in / "),
        entry("/bin/sh -c #(nop) WORKDIR /app", true),
        entry("/bin/sh -c #(nop) COPY file:def456 in . ")};
    QJsonArray appHistory = baseHistory;
    appHistory << entry("/bin/sh -c cat takbir.txt > out.txt") << entry("/bin/sh -c #(nop)  USER nobody", true);
    baseId = writeConfig(2, QJsonDocument(baseHistory).toJson(), "2024-01-01T10:00:00.123456789Z", "");
    appId = writeConfig(3, QJsonDocument(appHistory).toJson(), "2024-01-02T10:00:00.5Z", "nobody");
    QJsonObject baseTags {{QStringLiteral("gui/base:v1"), baseId}};
    if (extraBaseTag)
        baseTags.insert(QStringLiteral("gui/base:latest"), baseId);
    const QJsonObject repos {{QStringLiteral("Repositories"),
        QJsonObject {
            {QStringLiteral("gui/base"), baseTags},
            {QStringLiteral("gui/app"), QJsonObject {{QStringLiteral("gui/app:v1"), appId}}},
        }}};
    return !baseId.isEmpty() && !appId.isEmpty()
        && writeFile(root + QStringLiteral("/image/overlay2/repositories.json"), QJsonDocument(repos).toJson());
}

// A stopped container of gui/app:v1: read-write layer, init layer, then the image's layers.
bool FakeDockerRoot::buildContainer()
{
    const QString ov = root + QStringLiteral("/overlay2");
    containerId = hex("container");
    mountId = hex("mount");
    initId = mountId + QStringLiteral("-init");
    const QJsonObject cfg {{QStringLiteral("ID"), containerId},
        {QStringLiteral("Name"), QStringLiteral("/web")},
        {QStringLiteral("Image"), appId},
        {QStringLiteral("Created"), QStringLiteral("2024-01-03T10:00:00.1Z")},
        {QStringLiteral("Driver"), QStringLiteral("overlay2")},
        {QStringLiteral("Config"),
            QJsonObject {{QStringLiteral("Image"), QStringLiteral("gui/app:v1")},
                {QStringLiteral("User"), QStringLiteral("nobody")}}},
        {QStringLiteral("State"),
            QJsonObject {{QStringLiteral("Running"), running},
                {QStringLiteral("ExitCode"), 0},
                {QStringLiteral("StartedAt"), QStringLiteral("2024-01-03T10:00:01Z")}}}};
    bool ok = writeFile(root + QStringLiteral("/containers/") + containerId + QStringLiteral("/config.v2.json"),
        QJsonDocument(cfg).toJson());
    const QString mounts = root + QStringLiteral("/image/overlay2/layerdb/mounts/") + containerId;
    ok &= writeFile(mounts + QStringLiteral("/mount-id"), mountId.toLatin1());
    ok &= writeFile(mounts + QStringLiteral("/init-id"), initId.toLatin1());
    ok &= writeFile(mounts + QStringLiteral("/parent"), chainIds[2].toLatin1());
    const QString imageLower = QStringLiteral("l/%1:l/%2:l/%3").arg(links[2], links[1], links[0]);
    const QString init = ov + QLatin1Char('/') + initId;
    ok &= writeFile(init + QStringLiteral("/diff/etc/hosts"), "127.0.0.1 localhost\n");
    ok &= writeFile(init + QStringLiteral("/link"), "INITLINKABCDEFGHIJKLMNOPQR");
    ok &= writeFile(init + QStringLiteral("/lower"), imageLower.toLatin1());
    ok &= writeFile(init + QStringLiteral("/committed"), {});
    ok &= QFile::link(QStringLiteral("../%1/diff").arg(initId), ov + QStringLiteral("/l/INITLINKABCDEFGHIJKLMNOPQR"));
    const QString rw = ov + QLatin1Char('/') + mountId;
    ok &= writeFile(rw + QStringLiteral("/diff/app/new.txt"), "added\n");
    ok &= writeFile(rw + QStringLiteral("/link"), "RWLINKABCDEFGHIJKLMNOPQRST");
    ok &= writeFile(
        rw + QStringLiteral("/lower"), (QStringLiteral("l/INITLINKABCDEFGHIJKLMNOPQR:") + imageLower).toLatin1());
    QDir().mkpath(rw + QStringLiteral("/work"));
    ok &= QFile::link(QStringLiteral("../%1/diff").arg(mountId), ov + QStringLiteral("/l/RWLINKABCDEFGHIJKLMNOPQRST"));
    return ok;
}

} // namespace strata::test
