// SPDX-License-Identifier: GPL-2.0-or-later
#include "archivefiles.h"

#include "core/layer/archivereader.h"
#include "core/layer/bytestream.h"
#include "core/layer/filestream.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

namespace strata
{

namespace
{

constexpr int MaxLinkHops = 16;

using ArchivePtr = ArchiveReader::Ptr;

ArchivePtr openTar(const QString &path)
{
    ArchivePtr a = ArchiveReader::decompressing();
    archive_read_support_format_tar(a.get());
    archive_read_support_format_gnutar(a.get());
    if (archive_read_open_filename(a.get(), encodeFileName(path).constData(), 64 * 1024) != ARCHIVE_OK)
        return nullptr;
    return a;
}

QString memberName(struct archive_entry *e)
{
    const char *name = archive_entry_pathname(e);
    return ArchiveFiles::normalise(name ? QString::fromUtf8(name) : QString());
}

// One member of a tar file, streamed from its place in the tar.
class TarMemberStream final : public ByteStream
{
public:
    explicit TarMemberStream(ArchivePtr a) : m_archive(std::move(a)) { }
    qint64 read(char *data, qint64 max) override
    {
        const la_ssize_t n = archive_read_data(m_archive.get(), data, static_cast<size_t>(max));
        if (n < 0) {
            m_error = QString::fromLocal8Bit(archive_error_string(m_archive.get()));
            return -1;
        }
        return n;
    }
    [[nodiscard]] QString errorString() const override { return m_error; }

private:
    ArchivePtr m_archive;
    QString m_error;
};

} // namespace

QString ArchiveFiles::normalise(const QString &name)
{
    QStringList parts;
    for (const QString &p : name.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (p == QLatin1String("."))
            continue;
        if (p == QLatin1String("..")) {
            if (parts.isEmpty())
                return {};
            parts.removeLast();
            continue;
        }
        parts << p;
    }
    return parts.join(QLatin1Char('/'));
}

Result<ArchiveFiles> ArchiveFiles::open(const QString &path)
{
    ArchiveFiles files;
    const QFileInfo info(path);
    if (!info.exists())
        return Error {ENOENT, path + QStringLiteral(": no such file or directory")};
    files.m_directory = info.isDir();
    files.m_path = files.m_directory ? info.canonicalFilePath() : info.absoluteFilePath();
    if (files.m_directory)
        return files;
    if (const Status indexed = files.index(); !indexed)
        return indexed.error();
    return files;
}

Status ArchiveFiles::index()
{
    ArchivePtr a = openTar(m_path);
    if (!a)
        return Error {EINVAL, m_path + QStringLiteral(": cannot be read as an archive")};
    int ordinal = 0;
    for (;;) {
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            if (ordinal == 0)
                return Error {EINVAL,
                    m_path
                        + QStringLiteral(": not an image archive (%1)")
                              .arg(QString::fromLocal8Bit(archive_error_string(a.get())))};
            break; // a damaged tail: what was listed stays usable, the reads will say more
        }
        Member m;
        m.ordinal = ordinal++;
        m.size = archive_entry_size(e);
        if (const char *hard = archive_entry_hardlink(e)) {
            m.kind = Member::HardLink;
            m.target = QString::fromUtf8(hard);
        } else {
            switch (archive_entry_filetype(e)) {
            case AE_IFREG:
                m.kind = Member::File;
                break;
            case AE_IFDIR:
                m.kind = Member::Directory;
                break;
            case AE_IFLNK:
                m.kind = Member::Symlink;
                m.target = QString::fromUtf8(archive_entry_symlink(e));
                break;
            default:
                m.kind = Member::Other;
                break;
            }
        }
        const QString name = memberName(e);
        if (name.isEmpty())
            continue; // the top itself, or a name that climbs out of it: never looked up
        if (!m_members.contains(name))
            m_names << name;
        m_members.insert(name, m);
        archive_read_data_skip(a.get());
    }
    return {};
}

Result<QString> ArchiveFiles::resolve(const QString &wanted) const
{
    QString name = normalise(wanted);
    if (name.isEmpty())
        return Error {EINVAL, QStringLiteral("\"%1\" points outside the archive").arg(wanted)};
    if (m_directory) {
        const QString top = QFileInfo(m_path).canonicalFilePath();
        const QString real = QFileInfo(m_path + QLatin1Char('/') + name).canonicalFilePath();
        if (real.isEmpty())
            return Error {ENOENT, QStringLiteral("%1: missing").arg(name)};
        if (!real.startsWith(top + QLatin1Char('/')))
            return Error {EINVAL, QStringLiteral("%1: leads outside the layout (to %2)").arg(name, real)};
        if (!QFileInfo(real).isFile())
            return Error {EINVAL, QStringLiteral("%1: not a file").arg(name)};
        return real.mid(top.size() + 1);
    }
    for (int hop = 0; hop <= MaxLinkHops; ++hop) {
        const auto it = m_members.constFind(name);
        if (it == m_members.cend())
            return Error {ENOENT, QStringLiteral("%1: missing").arg(name)};
        switch (it->kind) {
        case Member::File:
            return name;
        case Member::Symlink: {
            if (it->target.startsWith(QLatin1Char('/')))
                return Error {EINVAL, QStringLiteral("%1: a link to %2, outside the archive").arg(name, it->target)};
            const qsizetype slash = name.lastIndexOf(QLatin1Char('/'));
            const QString next = normalise((slash < 0 ? QString() : name.left(slash + 1)) + it->target);
            if (next.isEmpty())
                return Error {EINVAL, QStringLiteral("%1: a link to %2, outside the archive").arg(name, it->target)};
            name = next;
            break;
        }
        case Member::HardLink: {
            const QString next = normalise(it->target);
            if (next.isEmpty())
                return Error {EINVAL, QStringLiteral("%1: a link to %2, outside the archive").arg(name, it->target)};
            name = next;
            break;
        }
        case Member::Directory:
        case Member::Other:
            return Error {EINVAL, QStringLiteral("%1: not a file").arg(name)};
        }
    }
    return Error {ELOOP, QStringLiteral("%1: too many links").arg(wanted)};
}

Result<std::unique_ptr<ByteStream>> ArchiveFiles::stream(const QString &wanted) const
{
    auto name = resolve(wanted);
    if (!name)
        return name.error();
    if (m_directory)
        return FileStream::open(encodeFileName(QString(m_path + QLatin1Char('/') + *name)));
    ArchivePtr a = openTar(m_path);
    if (!a)
        return Error {EIO, m_path + QStringLiteral(": cannot be read")};
    const int ordinal = m_members.value(*name).ordinal;
    for (int i = 0;; ++i) {
        struct archive_entry *e = nullptr;
        const int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF || r < ARCHIVE_WARN)
            return Error {EIO, QStringLiteral("%1: cannot be read from the archive").arg(*name)};
        if (i == ordinal)
            return std::unique_ptr<ByteStream>(new TarMemberStream(std::move(a)));
        archive_read_data_skip(a.get());
    }
}

Result<QByteArray> ArchiveFiles::read(const QString &name, qint64 max) const
{
    auto s = stream(name);
    if (!s)
        return s.error();
    QByteArray data;
    char buf[64 * 1024];
    for (;;) {
        const qint64 n = (*s)->read(buf, sizeof buf);
        if (n < 0)
            return Error {EIO, QStringLiteral("%1: %2").arg(name, (*s)->errorString())};
        if (n == 0)
            return data;
        if (data.size() + n > max)
            return Error {EFBIG, QStringLiteral("%1: larger than %2 bytes").arg(name).arg(max)};
        data.append(buf, n);
    }
}

QByteArray ArchiveFiles::head(const QString &name, qint64 count) const
{
    auto s = stream(name);
    if (!s)
        return {};
    QByteArray data(count, '\0');
    qint64 got = 0;
    while (got < count) {
        const qint64 n = (*s)->read(data.data() + got, count - got);
        if (n <= 0)
            break;
        got += n;
    }
    data.truncate(got);
    return data;
}

qint64 ArchiveFiles::size(const QString &wanted) const
{
    auto name = resolve(wanted);
    if (!name)
        return -1;
    if (m_directory)
        return QFileInfo(m_path + QLatin1Char('/') + *name).size();
    return m_members.value(*name).size;
}

} // namespace strata
