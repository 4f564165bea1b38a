// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QProcess;

namespace strata::test
{

/// Writes `data` to `path` (its parent directories made first); false when it could not.
[[nodiscard]] bool writeFile(const QString &path, const QByteArray &data);
/// What `path` holds, or "<missing>" when it cannot be read (never equal to real content
/// a test expects).
[[nodiscard]] QByteArray readFile(const QString &path);

/// ../shared/fixtures of the source tree (STRATA_SOURCE_DIR), or STRATA_FIXTURES when set.
[[nodiscard]] QString fixturesDir();
/// The generated fixtures (fixtures/generated: docker save and OCI tars with ground truth).
[[nodiscard]] QStringList generatedArchives();
/// A QString column "archive" and one data row per generated fixture, named by its file.
void addGeneratedArchiveRows();

/// Starts `strata ARGS` (STRATA_CLI) in `p`, as the user `asUid` (setpriv) unless it is negative.
void startCli(QProcess &p, const QStringList &args, int asUid = -1);

} // namespace strata::test
