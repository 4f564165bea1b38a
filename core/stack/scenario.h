// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/workspace.h"

#include <QString>
#include <QStringList>

namespace strata
{

/// The built-in scenarios: ready-made layer directories plus their workspace file.
class Scenario final
{
public:
    /// blog, stacked, docker-like
    [[nodiscard]] static QStringList names();
    [[nodiscard]] static QString description(const QString &name);

    /// Creates scenario `name` in `dir` (created if missing; must be empty otherwise) and
    /// writes dir/stratascope.json. Never touches anything that already exists.
    [[nodiscard]] static Result<Workspace> create(const QString &name, const QString &dir);
};

} // namespace strata
