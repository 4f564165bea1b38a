// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QFont>
#include <QObject>
#include <QPalette>

namespace strata
{

/// Large fonts and icons, high contrast: readable from the back of a classroom. Switches the
/// application's font and palette and the icon sizes of a window's tool bars and views; the
/// window decides which panels make room.
class PresentationMode final : public QObject
{
    Q_OBJECT
public:
    explicit PresentationMode(QWidget *window, QObject *parent = nullptr);

    void setActive(bool on);
    [[nodiscard]] bool isActive() const { return m_active; }

Q_SIGNALS:
    void toggled(bool on);

private:
    QWidget *m_window;
    bool m_active = false;
    QFont m_normalFont;
    QPalette m_normalPalette;
};

} // namespace strata
