// SPDX-License-Identifier: GPL-2.0-or-later
#include "createdby.h"

namespace strata
{

QString CreatedBy::clean(const QString &raw)
{
    QString s = raw.trimmed();
    // BuildKit marks its entries with a trailing comment.
    const QLatin1String buildkit(" # buildkit");
    if (s.endsWith(buildkit))
        s = s.left(s.size() - buildkit.size()).trimmed();

    const QLatin1String shell("/bin/sh -c ");
    const QLatin1String nop("#(nop)");
    if (s.startsWith(shell)) {
        const QString rest = s.mid(shell.size()).trimmed();
        // "#(nop) " marks an instruction that ran nothing (COPY, WORKDIR, CMD, ...).
        if (rest.startsWith(nop))
            return rest.mid(nop.size()).trimmed();
        return QStringLiteral("RUN ") + rest;
    }
    // BuildKit: "RUN /bin/sh -c cmd" -> "RUN cmd".
    const QLatin1String runShell("RUN /bin/sh -c ");
    if (s.startsWith(runShell))
        return QStringLiteral("RUN ") + s.mid(runShell.size()).trimmed();
    return s;
}

} // namespace strata
