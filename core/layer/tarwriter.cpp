// SPDX-License-Identifier: GPL-2.0-or-later
#include "tarwriter.h"

#include "core/layer/bytestream.h"
#include "core/util/filename.h"
#include "core/util/sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace strata
{

struct TarWriter::State {
    struct archive *archive = nullptr;
    int fd = -1;
    Sha256 hash;
    qint64 written = 0;
    QString error;
    std::vector<char> buffer = std::vector<char>(256 * 1024);

    ~State()
    {
        if (archive)
            archive_write_free(archive);
        if (fd >= 0)
            ::close(fd);
    }
    static la_ssize_t writeOut(struct archive *, void *data, const void *buffer, size_t size)
    {
        auto *s = static_cast<State *>(data);
        const char *p = static_cast<const char *>(buffer);
        for (size_t done = 0; done < size;) {
            const ssize_t n = ::write(s->fd, p + done, size - done);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                s->error = QString::fromLocal8Bit(std::strerror(errno));
                return -1;
            }
            done += static_cast<size_t>(n);
        }
        s->hash.add(QByteArrayView(p, static_cast<qsizetype>(size)));
        s->written += static_cast<qint64>(size);
        return static_cast<la_ssize_t>(size);
    }
    Status failed(const QString &what)
    {
        const QString why = error.isEmpty() ? QString::fromLocal8Bit(archive_error_string(archive)) : error;
        return Error {EIO, QStringLiteral("%1: %2").arg(what, why)};
    }
};

TarWriter::TarWriter() = default;
TarWriter::~TarWriter() = default;

Status TarWriter::open(const QString &path)
{
    m_state = std::make_unique<State>();
    m_state->fd = ::open(encodeFileName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_state->fd < 0)
        return Error::fromErrno(errno, path);
    m_state->archive = archive_write_new();
    archive_write_set_format_pax_restricted(m_state->archive);
    archive_write_set_bytes_in_last_block(m_state->archive, 1);
    if (archive_write_open(m_state->archive, m_state.get(), nullptr, State::writeOut, nullptr) != ARCHIVE_OK)
        return m_state->failed(path);
    return {};
}

Status TarWriter::add(const Header &h)
{
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry *)> e(archive_entry_new(), archive_entry_free);
    archive_entry_copy_pathname(e.get(), h.name.constData());
    archive_entry_set_uid(e.get(), h.uid);
    archive_entry_set_gid(e.get(), h.gid);
    archive_entry_set_mtime(e.get(), h.mtime, 0);
    if (h.hardlink) {
        archive_entry_set_filetype(e.get(), AE_IFREG);
        archive_entry_set_perm(e.get(), h.mode & 07777);
        archive_entry_copy_hardlink(e.get(), h.link.constData());
        archive_entry_set_size(e.get(), 0);
    } else {
        archive_entry_set_mode(e.get(), h.mode);
        if (S_ISLNK(h.mode))
            archive_entry_copy_symlink(e.get(), h.link.constData());
        archive_entry_set_size(e.get(), S_ISREG(h.mode) ? h.size : 0);
        if (S_ISCHR(h.mode) || S_ISBLK(h.mode))
            archive_entry_set_rdev(e.get(), h.rdev);
    }
    for (const auto &[name, value] : h.xattrs)
        archive_entry_xattr_add_entry(e.get(), name.constData(), value.constData(), static_cast<size_t>(value.size()));
    if (archive_write_header(m_state->archive, e.get()) < ARCHIVE_WARN)
        return m_state->failed(QString::fromUtf8(h.name));
    return {};
}

Status TarWriter::data(const char *bytes, qint64 size)
{
    if (archive_write_data(m_state->archive, bytes, static_cast<size_t>(size)) < 0)
        return m_state->failed(QStringLiteral("writing"));
    return {};
}

Status TarWriter::addFile(const Header &header, int fd)
{
    if (Status st = add(header); !st)
        return st;
    qint64 left = header.size;
    while (left > 0) {
        const ssize_t n
            = ::read(fd, m_state->buffer.data(), static_cast<size_t>(std::min<qint64>(left, m_state->buffer.size())));
        if (n <= 0)
            return Error {EIO, QStringLiteral("%1: shorter than its size").arg(QString::fromUtf8(header.name))};
        if (Status st = data(m_state->buffer.data(), n); !st)
            return st;
        left -= n;
    }
    return {};
}

Status TarWriter::addStream(const Header &header, ByteStream &in)
{
    if (Status st = add(header); !st)
        return st;
    qint64 left = header.size;
    while (left > 0) {
        const qint64 n = in.read(m_state->buffer.data(), std::min<qint64>(left, m_state->buffer.size()));
        if (n <= 0)
            return Error {EIO,
                QStringLiteral("%1: %2").arg(QString::fromUtf8(header.name),
                    n < 0 ? in.errorString() : QStringLiteral("shorter than its size"))};
        if (Status st = data(m_state->buffer.data(), n); !st)
            return st;
        left -= n;
    }
    return {};
}

Status TarWriter::addBytes(const QByteArray &name, const QByteArray &bytes, std::int64_t mtime)
{
    Header h;
    h.name = name;
    h.mode = S_IFREG | 0644;
    h.size = bytes.size();
    h.mtime = mtime;
    if (Status st = add(h); !st)
        return st;
    return data(bytes.constData(), bytes.size());
}

Status TarWriter::close()
{
    if (archive_write_close(m_state->archive) != ARCHIVE_OK)
        return m_state->failed(QStringLiteral("closing the tar"));
    if (::fsync(m_state->fd) != 0 || ::close(m_state->fd) != 0) {
        m_state->fd = -1;
        return Error::fromErrno(errno, QStringLiteral("closing the tar"));
    }
    m_state->fd = -1;
    m_digest = m_state->hash.digest();
    m_size = m_state->written;
    return {};
}

} // namespace strata
