// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace strata::test
{

/// A small `docker save` archive written here (TarBuilder): gui/archive:v1 with three layers
/// and six history entries, three of them config only (ENV, LABEL, CMD: "no layer"); the top
/// layer deletes /app/takbir.txt (a .wh. whiteout) and adds /app/out.txt.
struct FakeImageArchive {
    QString path; ///< the archive written
    /// The history's instructions as written, bottom first.
    QStringList instructions;

    /// Writes `dir`/gui-archive.tar; false when it cannot.
    [[nodiscard]] bool write(const QString &dir);
};

} // namespace strata::test
