// SPDX-License-Identifier: GPL-2.0-or-later
#include "tarbuilder.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace strata::test
{

namespace
{

la_ssize_t append(struct archive *, void *out, const void *data, size_t size)
{
    static_cast<QByteArray *>(out)->append(static_cast<const char *>(data), static_cast<qsizetype>(size));
    return static_cast<la_ssize_t>(size);
}

} // namespace

TarBuilder &TarBuilder::file(const QByteArray &name, const QByteArray &data, unsigned mode)
{
    return add(Member {name, 'f', data, {}, mode});
}

TarBuilder &TarBuilder::dir(const QByteArray &name, unsigned mode)
{
    return add(Member {name, 'd', {}, {}, mode});
}

TarBuilder &TarBuilder::symlink(const QByteArray &name, const QByteArray &target)
{
    return add(Member {name, 'l', {}, target, 0777});
}

TarBuilder &TarBuilder::hardlink(const QByteArray &name, const QByteArray &target)
{
    return add(Member {name, 'h', {}, target, 0644});
}

QByteArray TarBuilder::bytes(const QString &compression) const
{
    QByteArray out;
    std::unique_ptr<struct archive, int (*)(struct archive *)> a(archive_write_new(), archive_write_free);
    archive_write_set_format_pax_restricted(a.get());
    if (compression == QLatin1String("gzip"))
        archive_write_add_filter_gzip(a.get());
    else if (compression == QLatin1String("zstd"))
        archive_write_add_filter_zstd(a.get());
    archive_write_set_bytes_in_last_block(a.get(), 1);
    archive_write_open(a.get(), &out, nullptr, append, nullptr);
    for (const Member &m : m_members) {
        std::unique_ptr<struct archive_entry, void (*)(struct archive_entry *)> e(
            archive_entry_new(), archive_entry_free);
        archive_entry_copy_pathname(e.get(), m.name.constData());
        archive_entry_set_uid(e.get(), m.uid);
        archive_entry_set_gid(e.get(), m.gid);
        archive_entry_set_mtime(e.get(), 1700000000, 0);
        archive_entry_set_perm(e.get(), m.mode);
        for (const auto &x : m.xattrs)
            archive_entry_xattr_add_entry(
                e.get(), x.first.constData(), x.second.constData(), static_cast<size_t>(x.second.size()));
        switch (m.kind) {
        case 'd':
            archive_entry_set_filetype(e.get(), AE_IFDIR);
            break;
        case 'l':
            archive_entry_set_filetype(e.get(), AE_IFLNK);
            archive_entry_copy_symlink(e.get(), m.link.constData());
            break;
        case 'h':
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_copy_hardlink(e.get(), m.link.constData());
            break;
        case 'c':
            archive_entry_set_filetype(e.get(), AE_IFCHR);
            break;
        default:
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_set_size(e.get(), m.data.size());
            break;
        }
        archive_write_header(a.get(), e.get());
        if (m.kind == 'f' && !m.data.isEmpty())
            archive_write_data(a.get(), m.data.constData(), static_cast<size_t>(m.data.size()));
    }
    archive_write_close(a.get());
    return out;
}

QString TarBuilder::sha256(const QByteArray &data)
{
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

bool TarBuilder::write(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray TarBuilder::dockerSave(const QVector<QByteArray> &layers,
    const QString &tag,
    const QStringList &manifestLayers,
    const QVector<Member> &extra,
    const QVector<QPair<QString, bool>> &entries)
{
    QJsonArray diffIds;
    QJsonArray history;
    for (const auto &[createdBy, empty] : entries) {
        QJsonObject e {{QStringLiteral("created_by"), createdBy}};
        if (empty)
            e.insert(QStringLiteral("empty_layer"), true);
        history.append(e);
    }
    QJsonArray layerPaths;
    TarBuilder outer;
    for (qsizetype i = 0; i < layers.size(); ++i) {
        diffIds.append(sha256(layers.at(i)));
        if (entries.isEmpty())
            history.append(QJsonObject {{QStringLiteral("created_by"), QStringLiteral("/bin/sh -c step %1").arg(i)}});
        const QByteArray path = QByteArray::number(i) + "/layer.tar";
        layerPaths.append(QString::fromLatin1(path));
        outer.dir(QByteArray::number(i) + '/');
        outer.file(path, layers.at(i));
    }
    const QJsonObject config {{QStringLiteral("architecture"), QStringLiteral("amd64")},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("rootfs"),
            QJsonObject {{QStringLiteral("type"), QStringLiteral("layers")}, {QStringLiteral("diff_ids"), diffIds}}},
        {QStringLiteral("history"), history}};
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QString configName = TarBuilder::sha256(configBytes).mid(7) + QStringLiteral(".json");
    if (!manifestLayers.isEmpty())
        layerPaths = QJsonArray::fromStringList(manifestLayers);
    const QJsonArray manifest {QJsonObject {{QStringLiteral("Config"), configName},
        {QStringLiteral("RepoTags"), QJsonArray {tag}},
        {QStringLiteral("Layers"), layerPaths}}};
    outer.file(configName.toLatin1(), configBytes);
    for (const Member &m : extra)
        outer.add(m);
    outer.file("manifest.json", QJsonDocument(manifest).toJson(QJsonDocument::Compact));
    return outer.bytes();
}

} // namespace strata::test
