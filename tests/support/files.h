// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace strata::test
{

/// Writes `data` to `path` (its parent directories made first); false when it could not.
[[nodiscard]] bool writeFile(const QString &path, const QByteArray &data);
/// What `path` holds, or "<missing>" when it cannot be read (never equal to real content
/// a test expects).
[[nodiscard]] QByteArray readFile(const QString &path);

} // namespace strata::test
