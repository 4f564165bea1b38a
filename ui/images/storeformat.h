// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QIcon>
#include <QString>
#include <QStyle>

namespace strata
{

/// How the store models write sizes and times, and the font and icons they use.
class StoreFormat final
{
    Q_DECLARE_TR_FUNCTIONS(StoreFormat)
public:
    /// "12.3 MB": SI units, as `docker images` prints them; "unknown" for -1.
    [[nodiscard]] static QString size(qint64 bytes);
    /// "12,345,678 bytes", empty for an unknown size.
    [[nodiscard]] static QString exactSize(qint64 bytes);
    /// "2024-01-02 10:00 UTC" from RFC 3339; the text itself when it is not one.
    [[nodiscard]] static QString created(const QString &created);
    [[nodiscard]] static QFont fixedFont();
    [[nodiscard]] static QIcon icon(QStyle::StandardPixmap pixmap);
};

} // namespace strata
