// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace strata::test
{

/// A digest of a directory tree — names, types, modes, sizes, mtimes, contents, link
/// targets — to prove that something did not write there (lower layers, Docker roots).
QByteArray fingerprint(const QString &root);

} // namespace strata::test
