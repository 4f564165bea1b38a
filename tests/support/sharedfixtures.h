// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDir>
#include <QString>

namespace strata::test
{

/// ../shared/fixtures (public and generated images, read-only: copy before use), or
/// $STRATA_FIXTURES.
inline QString sharedFixtures()
{
    const QString env = qEnvironmentVariable("STRATA_FIXTURES");
    if (!env.isEmpty())
        return env;
    return QDir::cleanPath(qEnvironmentVariable("STRATA_SOURCE_DIR") + QStringLiteral("/../shared/fixtures"));
}

} // namespace strata::test
