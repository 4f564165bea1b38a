// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/tarentry.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <functional>

struct archive;

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

    /// The data of the member being visited, block by block as libarchive holds it (no copy).
    class Data final
    {
    public:
        struct Block {
            const char *bytes = nullptr;
            std::size_t size = 0;
            std::int64_t offset = 0; ///< where it goes in the file (sparse members skip)
        };
        /// The next block; false at the member's end, or on an error (error() is then set).
        [[nodiscard]] bool next(Block &block);
        [[nodiscard]] const QString &error() const { return m_error; }
        /// No data at all (a member written without its own).
        [[nodiscard]] static Data empty() { return Data(nullptr); }

    private:
        friend class TarReader;
        explicit Data(struct ::archive *a) : m_archive(a) { }
        struct ::archive *m_archive;
        QString m_error;
    };
    /// A visitor that may read each member's data (what is not read is skipped).
    using DataVisitor = std::function<bool(const TarEntry &, Data &)>;

    /// Reads `in` to its end, calling `visit` for each member in tar order. An empty stream is
    /// an empty layer. A damaged or truncated tar is an error, after the members before the
    /// damage were visited; `info` then says how far it got.
    [[nodiscard]] static Status read(ByteStream &in, const Visitor &visit, Info &info, ScanControl *control = nullptr);
    /// The same, handing each member's data to `visit` as well (extraction).
    [[nodiscard]] static Status readWithData(
        ByteStream &in, const DataVisitor &visit, Info &info, ScanControl *control = nullptr);
    /// "gzip", "zstd", "xz", "bzip2" from the magic bytes, "none" otherwise.
    [[nodiscard]] static QString compressionOf(const QByteArray &head);
};

} // namespace strata
