// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata
{

/// Layer chain IDs (image-spec config.md, "Layer ChainID"):
/// ChainID(L0) = DiffID(L0); ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)),
/// both operands with their "sha256:" prefix.
class ChainId final
{
public:
    /// The chain ID of `diffId` on top of the chain `parent` (empty for a base layer).
    [[nodiscard]] static QString next(const QString &parent, const QString &diffId);
    /// The chain IDs of a whole rootfs, bottom first.
    [[nodiscard]] static QStringList chain(const QStringList &diffIds);
    /// "sha256:" followed by 64 lowercase hex digits.
    [[nodiscard]] static bool isDigest(const QString &s);
    /// The 64 hex digits of a digest ("sha256:" removed).
    [[nodiscard]] static QString hex(const QString &digest);
};

} // namespace strata
