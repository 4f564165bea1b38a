// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// Makes a history entry's `created_by` readable as the Dockerfile instruction it came from.
class CreatedBy final
{
public:
    /// The legacy builder writes "/bin/sh -c #(nop)  CMD [...]" for instructions that run
    /// nothing and "/bin/sh -c <command>" for RUN; BuildKit writes "COPY x . # buildkit" and
    /// "RUN /bin/sh -c <command> # buildkit". This gives "CMD [...]", "RUN <command>",
    /// "COPY x .": the builder's wrapping removed, the instruction itself untouched.
    [[nodiscard]] static QString clean(const QString &raw);
};

} // namespace strata
