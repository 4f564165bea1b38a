// SPDX-License-Identifier: GPL-2.0-or-later
#include "presentationmode.h"

#include <QApplication>
#include <QToolBar>
#include <QTreeView>

namespace strata
{

namespace
{
QPalette highContrast()
{
    // Black on white, a dark selection with white text.
    QPalette p;
    p.setColor(QPalette::Window, Qt::white);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Button, QColor(0xf0, 0xf0, 0xf0));
    p.setColor(QPalette::ButtonText, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x00, 0x33, 0x99));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}
} // namespace

PresentationMode::PresentationMode(QWidget *window, QObject *parent) : QObject(parent), m_window(window)
{
}

void PresentationMode::setActive(bool on)
{
    if (on == m_active)
        return;
    if (on) {
        m_normalFont = QApplication::font();
        m_normalPalette = QApplication::palette();
        QFont big = m_normalFont;
        big.setPointSizeF(m_normalFont.pointSizeF() * 1.6);
        QApplication::setFont(big);
        QApplication::setPalette(highContrast());
    } else {
        QApplication::setFont(m_normalFont);
        QApplication::setPalette(m_normalPalette);
    }
    for (QToolBar *tb : m_window->findChildren<QToolBar *>())
        tb->setIconSize(on ? QSize(40, 40) : QSize(24, 24));
    for (QTreeView *view : m_window->findChildren<QTreeView *>())
        view->setIconSize(on ? QSize(28, 28) : QSize());
    m_active = on;
    Q_EMIT toggled(on);
}

} // namespace strata
