// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

/// An error as a value: an errno-like code (0 when there is none) and a message for people.
struct Error {
    int code = 0;
    QString message;

    [[nodiscard]] static Error fromErrno(int err, const QString &context);
};

} // namespace strata
