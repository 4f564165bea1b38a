// SPDX-License-Identifier: GPL-2.0-or-later
#include "error.h"

#include <cstring>

namespace strata
{

Error Error::fromErrno(int err, const QString &context)
{
    return Error {err, context + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(err))};
}

} // namespace strata
