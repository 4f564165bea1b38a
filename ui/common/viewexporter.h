// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/status.h"

#include <QString>

class QWidget;

namespace strata
{

/// Saves what a widget shows, for slides: SVG (vector, every painted text kept as text) or
/// PNG, chosen by the file's suffix.
class ViewExporter final
{
public:
    [[nodiscard]] static Status save(
        QWidget *what, const QString &file, const QString &title, const QString &description);
};

} // namespace strata
