// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QList>

#include "ui/common/textsize.h"

#include <QObject>
#include <QPalette>

namespace strata
{

/// Large fonts and icons, high contrast: readable from the back of a classroom. Switches the
/// application's palette and text size (see TextSize) and the icon sizes of a window's tool
/// bars and views, which follow the text size; the window decides which panels make room.
class PresentationMode final : public QObject
{
    Q_OBJECT
public:
    explicit PresentationMode(QWidget *window, QObject *parent = nullptr);
    ~PresentationMode() override;

    void setActive(bool on);
    /// Panels around the stage that presentation mode hides (the stage gets the screen) and
    /// shows again afterwards, each only if it was shown before.
    void hideWhilePresenting(const QList<QWidget *> &panels) { m_panels = panels; }
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] TextSize &textSize() { return m_text; }
    [[nodiscard]] const TextSize &textSize() const { return m_text; }
    /// Sizes the window for its screen: never larger, most of a large one.
    void fitWindow();
    /// The window is shown: fitted to the screen it opened on (unless resized since), full
    /// screen when presenting, and its text size follows it from screen to screen.
    void windowShown();

Q_SIGNALS:
    void toggled(bool on);

private:
    void sizeIcons(int pixelSize);
    void fillScreen();

    QWidget *m_window;
    TextSize m_text;
    bool m_active = false;
    QList<QWidget *> m_panels;
    QList<QWidget *> m_hidden; // the panels it hid
    QPalette m_normalPalette;
    // The window as it was before full screen, and whether it was sized by fitWindow() only.
    bool m_wasMaximized = false;
    QRect m_normalGeometry;
    QSize m_fittedSize;
    bool m_shown = false;
};

} // namespace strata
