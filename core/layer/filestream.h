// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/bytestream.h"
#include "core/util/result.h"

#include <QByteArray>

#include <memory>

namespace strata
{

/// A regular file as a ByteStream (an OCI layout's blob).
class FileStream final : public ByteStream
{
public:
    /// Refuses anything but a regular file; a symlink as the last component is not followed.
    [[nodiscard]] static Result<std::unique_ptr<ByteStream>> open(const QByteArray &path);
    ~FileStream() override;
    FileStream(const FileStream &) = delete;
    FileStream &operator=(const FileStream &) = delete;

    qint64 read(char *data, qint64 max) override;
    [[nodiscard]] QString errorString() const override { return m_error; }

private:
    explicit FileStream(int fd) : m_fd(fd) { }

    int m_fd = -1;
    QString m_error;
};

} // namespace strata
