// SPDX-License-Identifier: GPL-2.0-or-later
#include "metadatafile.h"

#include "core/util/jsonstring.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

Result<QByteArray> MetadataFile::read(const QString &path, qint64 maxSize)
{
    // O_NONBLOCK: a FIFO planted in a copied root must not hang us.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return Error::fromErrno(errno, path);
    struct stat st {
    };
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error::fromErrno(err, path);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return Error {EINVAL, QStringLiteral("%1: not a regular file").arg(path)};
    }
    if (st.st_size > maxSize) {
        ::close(fd);
        return Error {EFBIG, QStringLiteral("%1: too big (%2 bytes) for a metadata file").arg(path).arg(st.st_size)};
    }
    QByteArray data;
    data.reserve(static_cast<qsizetype>(st.st_size));
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            return Error::fromErrno(err, path);
        }
        if (n == 0)
            break;
        data.append(buf, n);
        if (data.size() > maxSize) {
            ::close(fd);
            return Error {EFBIG, QStringLiteral("%1: too big for a metadata file").arg(path)};
        }
    }
    ::close(fd);
    return data;
}

Result<QString> MetadataFile::readLine(const QString &path)
{
    auto data = read(path, 64 * 1024);
    if (!data)
        return data.error();
    return QString::fromUtf8(data->trimmed());
}

Result<QJsonObject> MetadataFile::readObject(const QString &path)
{
    auto data = read(path);
    if (!data)
        return data.error();
    return parseObject(*data, path);
}

Result<QJsonObject> MetadataFile::parseObject(const QByteArray &data, const QString &path)
{
    if (data.trimmed().isEmpty())
        return Error {EINVAL, QStringLiteral("%1: empty file, expected a JSON object").arg(path)};
    return parseJsonObject(data, path);
}

} // namespace strata
