// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

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
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] TextSize &textSize() { return m_text; }
    [[nodiscard]] const TextSize &textSize() const { return m_text; }

Q_SIGNALS:
    void toggled(bool on);

private:
    void sizeIcons(int pixelSize);

    QWidget *m_window;
    TextSize m_text;
    bool m_active = false;
    QPalette m_normalPalette;
};

} // namespace strata
