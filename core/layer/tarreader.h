// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/tarentry.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QString>

#include <functional>

namespace strata
{

class ByteStream;
class ScanControl;

/// Streams one layer tar (uncompressed, gzip, zstd, xz or bzip2: told from its first bytes,
/// never from a name) with libarchive, member by member, without writing anything, and
/// hashes both the stored and the uncompressed bytes on the way: the blob digest and the
/// diff ID of the image spec.
class TarReader final
{
public:
    /// What the stream turned out to be.
    struct Info {
        QString compression; ///< none, gzip, zstd, xz, bzip2
        QString digest; ///< "sha256:…" of the bytes as stored
        QString diffId; ///< "sha256:…" of the uncompressed tar
        qint64 storedSize = 0;
        qint64 uncompressedSize = 0;
        qint64 entries = 0;
        bool complete = false; ///< read to the end (digests cover the whole stream)
    };
    /// Return false to stop reading.
    using Visitor = std::function<bool(const TarEntry &)>;

    /// Reads `in` to its end, calling `visit` for each member in tar order. An empty stream is
    /// an empty layer. A damaged or truncated tar is an error, after the members before the
    /// damage were visited; `info` then says how far it got.
    [[nodiscard]] static Status read(ByteStream &in, const Visitor &visit, Info &info, ScanControl *control = nullptr);
    /// "gzip", "zstd", "xz", "bzip2" from the magic bytes, "none" otherwise.
    [[nodiscard]] static QString compressionOf(const QByteArray &head);
};

} // namespace strata
