// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace strata
{

/// Names as a layer tar holds them (TarLayer, LayerExtractor, BeneathDir): bytes, split into
/// plain components by name alone (no file system asked), and shown to people escaped.
class PathParts final
{
public:
    /// "./a//b/../c/" -> {a, c}; false when ".." climbs above the layer's root. The parts point
    /// into `path`.
    [[nodiscard]] static bool split(const QByteArray &path, std::vector<std::string_view> &parts);
    /// The first `count` parts joined with '/'.
    [[nodiscard]] static std::string joined(const std::vector<std::string_view> &parts, std::size_t count);
    /// A name for a message: bytes that are not printable ASCII percent-encoded.
    [[nodiscard]] static QString shown(const QByteArray &name);
};

} // namespace strata
