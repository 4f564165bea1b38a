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

PresentationMode::PresentationMode(QWidget *window, QObject *parent) : QObject(parent), m_window(window), m_text(window)
{
    connect(&m_text, &TextSize::changed, this, &PresentationMode::sizeIcons);
}

PresentationMode::~PresentationMode()
{
    // The palette and the text size belong to the application: leave them as they were.
    if (!m_active)
        return;
    disconnect(&m_text, nullptr, this, nullptr); // the window's widgets are going
    QApplication::setPalette(m_normalPalette);
    m_text.setPresenting(false);
}

void PresentationMode::setActive(bool on)
{
    if (on == m_active)
        return;
    if (on) {
        m_normalPalette = QApplication::palette();
        QApplication::setPalette(highContrast());
    } else {
        QApplication::setPalette(m_normalPalette);
    }
    m_active = on;
    m_text.setPresenting(on);
    Q_EMIT toggled(on);
}

void PresentationMode::sizeIcons(int pixelSize)
{
    // Icons grow with the text, so a button's picture and its words stay one unit.
    const int bar = m_active ? pixelSize * 3 / 2 : std::max(24, pixelSize * 7 / 4);
    for (QToolBar *tb : m_window->findChildren<QToolBar *>())
        tb->setIconSize(QSize(bar, bar));
    for (QTreeView *view : m_window->findChildren<QTreeView *>())
        view->setIconSize(m_active ? QSize(pixelSize, pixelSize) : QSize());
}

} // namespace strata
