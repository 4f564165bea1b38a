// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace strata
{

/// Reads the small metadata files of a store (a Docker root, containers-storage…), read-only, with errors that name the
/// file and say what is wrong ("…/config.v2.json: not valid JSON at line 1, column 812:
/// unterminated object").
class MetadataFile final
{
public:
    /// Bigger files are refused: the metadata files are a few KB, and a hostile copy must
    /// not make us read gigabytes.
    static constexpr qint64 MaxSize = 64 * 1024 * 1024;

    /// The whole file. Error code: errno (ENOENT, EACCES...), or EFBIG / EINVAL.
    [[nodiscard]] static Result<QByteArray> read(const QString &path, qint64 maxSize = MaxSize);
    /// A one-line file (link, cache-id, diff, parent...), surrounding whitespace removed.
    [[nodiscard]] static Result<QString> readLine(const QString &path);
    /// A JSON object.
    [[nodiscard]] static Result<QJsonObject> readObject(const QString &path);
    [[nodiscard]] static Result<QJsonObject> parseObject(const QByteArray &data, const QString &path);
};

} // namespace strata
