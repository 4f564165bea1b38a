// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace strata::test
{

/// The names in a directory (without "." and ".."), as bytes; nullopt when it cannot be read.
std::optional<QList<QByteArray>> dirNames(const QByteArray &path);

} // namespace strata::test
