// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "error.h"

#include <optional>

namespace strata
{

/// Success, or an Error: the result of an operation that returns no value.
class [[nodiscard]] Status
{
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) { }
    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace strata
