// SPDX-License-Identifier: GPL-2.0-or-later
#include "metadatafile.h"

#include "core/util/filename.h"
#include "core/util/jsonstring.h"

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
    const int fd = ::open(encodeFileName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
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
    // One byte more than allowed: a file that grew since fstat is too big as well.
    auto data = readOpenFile(fd, maxSize + 1, path);
    ::close(fd);
    if (data.ok() && data->size() > maxSize)
        return Error {EFBIG, QStringLiteral("%1: too big for a metadata file").arg(path)};
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
