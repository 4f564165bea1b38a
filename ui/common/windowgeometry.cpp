// SPDX-License-Identifier: GPL-2.0-or-later
#include "windowgeometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QWidget>

namespace strata
{

namespace
{
QString settingsKey()
{
    // QSettings keys take no slashes of their own.
    return QStringLiteral("windowGeometry/")
        + QString(WindowGeometry::screenSetup()).replace(QLatin1Char('/'), QLatin1Char('_'));
}
} // namespace

QString WindowGeometry::screenSetup()
{
    QStringList screens;
    for (const QScreen *s : QGuiApplication::screens())
        screens << QStringLiteral("%1 %2x%3@%4")
                       .arg(s->name())
                       .arg(s->geometry().width())
                       .arg(s->geometry().height())
                       .arg(s->devicePixelRatio());
    screens.sort();
    return screens.join(QStringLiteral("; "));
}

bool WindowGeometry::restore(QWidget *window)
{
    const QByteArray kept = QSettings().value(settingsKey()).toByteArray();
    return !kept.isEmpty() && window->restoreGeometry(kept);
}

void WindowGeometry::save(const QWidget *window)
{
    QSettings().setValue(settingsKey(), window->saveGeometry());
}

} // namespace strata
