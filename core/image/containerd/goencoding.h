// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>

namespace strata
{

/// The Go encodings containerd writes into its bbolt values: varints (encoding/binary) and
/// timestamps (time.Time.MarshalBinary). Each answers nullopt for bytes that are not one.
class GoEncoding final
{
public:
    /// binary.Uvarint: the whole value must be the varint.
    [[nodiscard]] static std::optional<std::uint64_t> uvarint(QByteArrayView bytes);
    /// binary.Varint (zig-zag).
    [[nodiscard]] static std::optional<std::int64_t> varint(QByteArrayView bytes);
    /// time.MarshalBinary (versions 1 and 2) as RFC 3339 in UTC with nanoseconds, the form
    /// Docker's JSON uses: "2026-12-01T18:01:02.508034089Z".
    [[nodiscard]] static std::optional<QString> time(QByteArrayView bytes);
};

} // namespace strata
