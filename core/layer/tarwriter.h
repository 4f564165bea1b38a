// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/status.h"

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QVector>

#include <cstdint>
#include <memory>
#include <sys/types.h>

struct archive;

namespace strata
{

class ByteStream;

/// Writes a tar file (PAX, uncompressed) member by member with libarchive and hashes it on the
/// way: a layer's diff ID, or an image archive. Names are bytes, as they go in the header.
class TarWriter final
{
public:
    struct Header {
        QByteArray name;
        std::uint32_t mode = 0; ///< S_IFMT and permission bits, as stat says
        std::uint32_t uid = 0;
        std::uint32_t gid = 0;
        std::int64_t mtime = 0;
        std::int64_t size = 0; ///< a regular file's
        dev_t rdev = 0; ///< a device node's
        QByteArray link; ///< a symlink's target or, with `hardlink`, the member it links to
        bool hardlink = false;
        QVector<QPair<QByteArray, QByteArray>> xattrs;
    };

    TarWriter();
    ~TarWriter();
    TarWriter(const TarWriter &) = delete;
    TarWriter &operator=(const TarWriter &) = delete;

    [[nodiscard]] Status open(const QString &path);
    /// A member without data, or a regular file's header before its data().
    [[nodiscard]] Status add(const Header &header);
    [[nodiscard]] Status data(const char *bytes, qint64 size);
    /// A whole regular file from `fd` (read to its end), or from a stream of `size` bytes.
    [[nodiscard]] Status addFile(const Header &header, int fd);
    [[nodiscard]] Status addStream(const Header &header, ByteStream &in);
    [[nodiscard]] Status addBytes(const QByteArray &name, const QByteArray &bytes, std::int64_t mtime = 0);
    /// Ends the tar: its digest ("sha256:…") and size.
    [[nodiscard]] Status close();
    [[nodiscard]] const QString &digest() const { return m_digest; }
    [[nodiscard]] qint64 size() const { return m_size; }

private:
    struct State;
    std::unique_ptr<State> m_state;
    QString m_digest;
    qint64 m_size = 0;
};

} // namespace strata
