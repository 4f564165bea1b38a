// SPDX-License-Identifier: GPL-2.0-or-later
#include "textsize.h"

#include <QApplication>
#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QWidget>

#include <algorithm>
#include <array>
#include <cmath>

namespace strata
{

namespace
{
// Ctrl+- three times down, Ctrl+= six times up; step 0 is the base.
constexpr std::array<double, 10> zooms {0.75, 0.85, 0.92, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0};
constexpr int baseStep = 3;
constexpr int minStep = -baseStep;
constexpr int maxStep = static_cast<int>(zooms.size()) - 1 - baseStep;
} // namespace

namespace
{
// The platform's font, as the application started: every window's base, whatever another
// window (or presentation mode) set since.
const QFont &platformFont()
{
    static const QFont font = QApplication::font();
    return font;
}
} // namespace

TextSize::TextSize(QWidget *window, QObject *parent) : QObject(parent), m_window(window), m_normal(platformFont())
{
    m_step = std::clamp(QSettings().value(settingsKey(), 0).toInt(), minStep, maxStep);
    if (m_step != 0)
        apply();
}

QScreen *TextSize::screen() const
{
    QScreen *s = m_window->screen();
    return s ? s : QGuiApplication::primaryScreen();
}

QString TextSize::settingsKey() const
{
    const QScreen *s = screen();
    const QString where = s ? QStringLiteral("%1 %2x%3").arg(s->name()).arg(s->size().width()).arg(s->size().height())
                            : QStringLiteral("none");
    return QStringLiteral("textSize/%1/%2")
        .arg(m_presenting ? QStringLiteral("presentation") : QStringLiteral("normal"), where);
}

int TextSize::normalPixelSize() const
{
    if (m_normal.pixelSize() > 0)
        return m_normal.pixelSize();
    const QScreen *s = screen();
    const double dpi = s ? s->logicalDotsPerInchY() : 96.0;
    return std::max(8, static_cast<int>(std::lround(m_normal.pointSizeF() * dpi / 72.0)));
}

int TextSize::presentationPixelSize(int screenHeight, int normalPixelSize)
{
    // 1/45 of the height: 24 px at 1080 lines, 16 at 720 (where twelve rows must still fit).
    return std::max({normalPixelSize * 5 / 4, screenHeight / 45, 12});
}

double TextSize::zoom() const
{
    return zooms[static_cast<size_t>(m_step + baseStep)];
}

int TextSize::pixelSize() const
{
    const QScreen *s = screen();
    const int base
        = m_presenting ? presentationPixelSize(s ? s->size().height() : 720, normalPixelSize()) : normalPixelSize();
    return std::max(6, static_cast<int>(std::lround(base * zoom())));
}

void TextSize::setPresenting(bool on)
{
    if (on == m_presenting)
        return;
    m_presenting = on;
    follow();
}

void TextSize::follow()
{
    m_step = std::clamp(QSettings().value(settingsKey(), 0).toInt(), minStep, maxStep);
    apply();
}

void TextSize::setStep(int step)
{
    step = std::clamp(step, minStep, maxStep);
    if (step == m_step)
        return;
    m_step = step;
    QSettings().setValue(settingsKey(), m_step);
    apply();
}

void TextSize::apply()
{
    QFont f = m_normal;
    if (m_presenting || m_step != 0)
        f.setPixelSize(pixelSize());
    QApplication::setFont(f);
    // Qt 6.4 does not pass a new application font on to windows already shown: tell them,
    // top-level widgets first so that their children resolve against the new size.
    QEvent change(QEvent::ApplicationFontChange);
    for (QWidget *w : QApplication::topLevelWidgets())
        QCoreApplication::sendEvent(w, &change);
    for (QWidget *w : QApplication::allWidgets()) {
        if (!w->isWindow())
            QCoreApplication::sendEvent(w, &change);
    }
    Q_EMIT changed(pixelSize());
}

} // namespace strata
