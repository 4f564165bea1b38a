// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// A stream of bytes read front to back once: a file, or a member of a tar read in place.
class ByteStream
{
public:
    virtual ~ByteStream() = default;
    /// Up to `max` bytes into `data`: the count, 0 at the end, -1 on an error (errorString()).
    virtual qint64 read(char *data, qint64 max) = 0;
    [[nodiscard]] virtual QString errorString() const = 0;

protected:
    ByteStream() = default;
    ByteStream(const ByteStream &) = default;
    ByteStream &operator=(const ByteStream &) = default;
};

} // namespace strata
