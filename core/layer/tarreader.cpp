// SPDX-License-Identifier: GPL-2.0-or-later
#include "tarreader.h"

#include "core/layer/archivereader.h"
#include "core/layer/bytestream.h"
#include "core/util/scancontrol.h"
#include "core/util/sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <sys/stat.h>
#include <vector>

namespace strata
{

namespace
{

using ArchivePtr = ArchiveReader::Ptr;

// The stored bytes: read from the stream, hashed, the first few kept to name the compression.
struct Stored {
    ByteStream *in = nullptr;
    std::vector<char> buffer = std::vector<char>(256 * 1024);
    Sha256 hash;
    QByteArray head;
    qint64 total = 0;
    QString error;
};

// The uncompressed bytes, as the decompressing reader hands them to the tar reader.
struct Plain {
    struct archive *raw = nullptr;
    const Stored *stored = nullptr;
    int hashing = -1; // decided on the first block: an uncompressed stream is hashed once, as stored
    Sha256 hash;
    qint64 total = 0;
    bool ended = false;
    QByteArray tail; // the last 1024 bytes: a whole tar ends with two zero blocks

    void keepTail(const char *data, qsizetype size)
    {
        constexpr qsizetype Keep = 1024;
        if (size >= Keep) {
            tail = QByteArray(data + size - Keep, Keep);
            return;
        }
        tail.append(data, size);
        if (tail.size() > Keep)
            tail.remove(0, tail.size() - Keep);
    }
    [[nodiscard]] bool endsWithZeroBlocks() const
    {
        return tail.size() == 1024 && std::all_of(tail.cbegin(), tail.cend(), [](char c) { return c == 0; });
    }
};

la_ssize_t readStored(struct archive *a, void *data, const void **buf)
{
    auto *s = static_cast<Stored *>(data);
    const qint64 n = s->in->read(s->buffer.data(), static_cast<qint64>(s->buffer.size()));
    if (n < 0) {
        s->error = s->in->errorString();
        archive_set_error(a, EIO, "%s", s->error.toLocal8Bit().constData());
        return -1;
    }
    if (s->head.size() < 8)
        s->head.append(s->buffer.data(), static_cast<qsizetype>(std::min<qint64>(n, 8 - s->head.size())));
    s->hash.add(QByteArrayView(s->buffer.data(), n));
    s->total += n;
    *buf = s->buffer.data();
    return static_cast<la_ssize_t>(n);
}

la_ssize_t readPlain(struct archive *a, void *data, const void **buf)
{
    auto *p = static_cast<Plain *>(data);
    if (p->ended)
        return 0;
    size_t size = 0;
    la_int64_t offset = 0;
    const int r = archive_read_data_block(p->raw, buf, &size, &offset);
    if (r == ARCHIVE_EOF) {
        p->ended = true;
        return 0;
    }
    if (r < ARCHIVE_WARN) {
        archive_set_error(a, archive_errno(p->raw), "%s", archive_error_string(p->raw));
        return -1;
    }
    if (p->hashing < 0)
        p->hashing = TarReader::compressionOf(p->stored->head) != QLatin1String("none");
    if (p->hashing)
        p->hash.add(QByteArrayView(static_cast<const char *>(*buf), static_cast<qsizetype>(size)));
    p->keepTail(static_cast<const char *>(*buf), static_cast<qsizetype>(size));
    p->total += static_cast<qint64>(size);
    return static_cast<la_ssize_t>(size);
}

QString digestOf(Sha256 &hash)
{
    return hash.digest();
}

QByteArray bytes(const char *s)
{
    return s ? QByteArray(s) : QByteArray();
}

TarEntry entryOf(struct archive_entry *e)
{
    TarEntry t;
    t.path = bytes(archive_entry_pathname(e));
    if (t.path.isEmpty())
        t.path = bytes(archive_entry_pathname_utf8(e));
    const char *hard = archive_entry_hardlink(e);
    t.hardlink = hard != nullptr;
    // libarchive's AE_IF* are the S_IF* of stat.
    t.type = t.hardlink ? EntryType::File : entryTypeFromMode(archive_entry_filetype(e));
    t.linkTarget = t.hardlink ? QByteArray(hard) : bytes(archive_entry_symlink(e));
    t.mode = archive_entry_perm(e) & 07777;
    t.uid = static_cast<std::uint32_t>(archive_entry_uid(e));
    t.gid = static_cast<std::uint32_t>(archive_entry_gid(e));
    t.size = archive_entry_size(e);
    t.mtime = archive_entry_mtime(e);
    t.rdev = archive_entry_rdev(e);
    if (archive_entry_xattr_reset(e) > 0) {
        const char *name = nullptr;
        const void *value = nullptr;
        size_t size = 0;
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
            // libarchive's own PAX records repeat the SCHILY ones: each name once.
            const QByteArray key(name);
            const bool seen
                = std::any_of(t.xattrs.cbegin(), t.xattrs.cend(), [&key](const auto &x) { return x.first == key; });
            if (!seen)
                t.xattrs.push_back({key, QByteArray(static_cast<const char *>(value), static_cast<qsizetype>(size))});
        }
    }
    return t;
}

// The members of the uncompressed stream, each handed to `visit`.
using MemberVisitor = std::function<bool(const TarEntry &, struct archive *)>;

Status readMembers(Plain &plain, const MemberVisitor &visit, TarReader::Info &info, ScanControl *control)
{
    ArchivePtr tar(archive_read_new());
    archive_read_support_format_tar(tar.get());
    archive_read_support_format_gnutar(tar.get());
    if (archive_read_open(tar.get(), &plain, nullptr, readPlain, nullptr) != ARCHIVE_OK) {
        if (plain.total == 0 && plain.ended)
            return {}; // nothing at all once uncompressed: an empty layer
        return Error {
            EINVAL, QStringLiteral("not a tar: %1").arg(QString::fromLocal8Bit(archive_error_string(tar.get())))};
    }
    for (;;) {
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(tar.get(), &e);
        if (r == ARCHIVE_EOF)
            return {};
        if (r < ARCHIVE_WARN)
            return Error {EINVAL,
                QStringLiteral("damaged tar after %1 entries: %2")
                    .arg(info.entries)
                    .arg(QString::fromLocal8Bit(archive_error_string(tar.get())))};
        ++info.entries;
        if (!visit(entryOf(e), tar.get()))
            return Error {ECANCELED, QStringLiteral("stopped")};
        if (control && (info.entries & 1023) == 0 && control->isCancelled())
            return Error {ECANCELED, QStringLiteral("cancelled")};
    }
}

Status readStream(ByteStream &in, const MemberVisitor &visit, TarReader::Info &info, ScanControl *control)
{
    Stored stored;
    stored.in = &in;
    ArchivePtr raw = ArchiveReader::decompressing();
    archive_read_support_format_raw(raw.get());
    Plain plain;
    plain.raw = raw.get();
    plain.stored = &stored;
    Status status;
    auto finish = [&] {
        info.compression = TarReader::compressionOf(stored.head);
        info.storedSize = stored.total;
        info.uncompressedSize = plain.total;
        info.digest = digestOf(stored.hash);
        info.diffId = plain.hashing == 0 || plain.total == 0 ? info.digest : digestOf(plain.hash);
        return status;
    };
    if (archive_read_open(raw.get(), &stored, nullptr, readStored, nullptr) != ARCHIVE_OK) {
        if (stored.total == 0 && stored.error.isEmpty()) {
            info.complete = true; // 0 bytes: an empty layer, as Docker reads it
            return finish();
        }
        status = Error {EIO, QString::fromLocal8Bit(archive_error_string(raw.get()))};
        return finish();
    }
    struct archive_entry *rawEntry = nullptr;
    const int r = archive_read_next_header(raw.get(), &rawEntry);
    if (r == ARCHIVE_EOF || (r == ARCHIVE_OK && stored.total == 0)) {
        info.complete = stored.error.isEmpty();
        return finish();
    }
    if (r < ARCHIVE_WARN) {
        status = Error {EIO, QString::fromLocal8Bit(archive_error_string(raw.get()))};
        return finish();
    }
    status = readMembers(plain, visit, info, control);
    if (status || status.error().code != ECANCELED) {
        // The digests cover the whole stream: the tar's zero blocks and padding too.
        const void *buf = nullptr;
        while (!plain.ended && readPlain(raw.get(), &plain, &buf) > 0) { }
        if (status && !stored.error.isEmpty())
            status = Error {EIO, stored.error};
        else if (status && archive_errno(raw.get()) != 0 && !plain.ended)
            status = Error {EIO, QString::fromLocal8Bit(archive_error_string(raw.get()))};
        info.complete = plain.ended && stored.error.isEmpty();
        if (status && info.complete && plain.total > 0 && !plain.endsWithZeroBlocks())
            status = Error {EINVAL,
                QStringLiteral("truncated tar: it stops after %1 entries without its end-of-archive blocks")
                    .arg(info.entries)};
    }
    return finish();
}

} // namespace

QString TarReader::compressionOf(const QByteArray &head)
{
    if (head.startsWith("\x1f\x8b"))
        return QStringLiteral("gzip");
    if (head.startsWith("\x28\xb5\x2f\xfd"))
        return QStringLiteral("zstd");
    if (head.startsWith(QByteArray("\xfd\x37\x7a\x58\x5a\x00", 6)))
        return QStringLiteral("xz");
    if (head.startsWith("BZh"))
        return QStringLiteral("bzip2");
    return QStringLiteral("none");
}

bool TarReader::Data::next(Block &block)
{
    if (!m_archive)
        return false;
    const void *buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    const int r = archive_read_data_block(m_archive, &buf, &size, &offset);
    if (r == ARCHIVE_EOF)
        return false;
    if (r < ARCHIVE_WARN) {
        m_error = QString::fromLocal8Bit(archive_error_string(m_archive));
        return false;
    }
    block = Block {static_cast<const char *>(buf), size, offset};
    return true;
}

Status TarReader::read(ByteStream &in, const Visitor &visit, Info &info, ScanControl *control)
{
    return readStream(
        in, [&visit](const TarEntry &e, struct archive *) { return visit(e); }, info, control);
}

Status TarReader::readWithData(ByteStream &in, const DataVisitor &visit, Info &info, ScanControl *control)
{
    return readStream(
        in,
        [&visit](const TarEntry &e, struct archive *a) {
            Data data(a);
            return visit(e, data);
        },
        info,
        control);
}

} // namespace strata
