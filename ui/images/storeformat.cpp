// SPDX-License-Identifier: GPL-2.0-or-later
#include "storeformat.h"

#include <QApplication>
#include <QDateTime>
#include <QFontDatabase>
#include <QLocale>

namespace strata
{

QString StoreFormat::size(qint64 bytes)
{
    if (bytes < 0)
        return tr("unknown");
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString StoreFormat::exactSize(qint64 bytes)
{
    return bytes >= 0 ? tr("%L1 bytes").arg(bytes) : QString();
}

QString StoreFormat::created(const QString &created)
{
    const QDateTime t = QDateTime::fromString(created.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!t.isValid())
        return created.isEmpty() ? tr("unknown") : created;
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral(" UTC");
}

QFont StoreFormat::fixedFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

QIcon StoreFormat::icon(QStyle::StandardPixmap pixmap)
{
    return QApplication::style()->standardIcon(pixmap);
}

} // namespace strata
