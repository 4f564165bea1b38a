// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QStringView>

#include <optional>

namespace strata
{

/// A whole number in [min, max], in `base` (10 or 8): its digits only, with a '-' first when
/// min < 0 — no blanks, no '+', no "0x", no fraction, nothing out of range. nullopt otherwise:
/// the command line refuses "abc", "1.5" and 99999999999999999999 instead of reading 0.
[[nodiscard]] std::optional<qint64> parseInteger(QStringView text, qint64 min, qint64 max, int base = 10);

} // namespace strata
