// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

namespace strata::test
{

/// Writes tars in memory with libarchive (PAX format): layer tars and whole image archives,
/// hostile ones included, for the archive tests and the benchmark's generator.
class TarBuilder final
{
public:
    struct Member {
        QByteArray name {};
        char kind = 'f'; ///< f file, d dir, l symlink, h hard link, c char device
        QByteArray data {};
        QByteArray link {};
        unsigned mode = 0644;
        unsigned uid = 0;
        unsigned gid = 0;
        QVector<QPair<QByteArray, QByteArray>> xattrs {};
    };

    TarBuilder &add(const Member &m)
    {
        m_members.push_back(m);
        return *this;
    }
    TarBuilder &file(const QByteArray &name, const QByteArray &data = {}, unsigned mode = 0644);
    TarBuilder &dir(const QByteArray &name, unsigned mode = 0755);
    TarBuilder &symlink(const QByteArray &name, const QByteArray &target);
    TarBuilder &hardlink(const QByteArray &name, const QByteArray &target);

    /// The tar, compressed with "none", "gzip" or "zstd".
    [[nodiscard]] QByteArray bytes(const QString &compression = QStringLiteral("none")) const;
    [[nodiscard]] qsizetype size() const { return m_members.size(); }

    [[nodiscard]] static QString sha256(const QByteArray &data);
    [[nodiscard]] static bool write(const QString &path, const QByteArray &data);

    /// A legacy `docker save` of one image: `layers` (uncompressed tars, bottom first) as
    /// <n>/layer.tar, a config with their diff IDs and one history entry each, manifest.json
    /// naming them (or `manifestLayers` instead, for hostile ones), plus `extra` members.
    /// `history` (created_by, empty_layer), bottom first, replaces the one entry per layer.
    [[nodiscard]] static QByteArray dockerSave(const QVector<QByteArray> &layers,
        const QString &tag,
        const QStringList &manifestLayers = {},
        const QVector<Member> &extra = {},
        const QVector<QPair<QString, bool>> &history = {});

private:
    QVector<Member> m_members;
};

} // namespace strata::test
