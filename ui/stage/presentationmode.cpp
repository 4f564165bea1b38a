// SPDX-License-Identifier: GPL-2.0-or-later
#include "presentationmode.h"

#include <QApplication>
#include <QScreen>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QWindow>

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
    if (on) {
        m_hidden.clear();
        for (QWidget *panel : std::as_const(m_panels)) {
            if (panel->isVisibleTo(m_window)) {
                panel->hide();
                m_hidden << panel;
            }
        }
    } else {
        for (QWidget *panel : std::as_const(m_hidden))
            panel->show();
        m_hidden.clear();
    }
    if (on && m_window->isVisible()) {
        m_wasMaximized = m_window->isMaximized();
        m_normalGeometry = m_window->geometry();
        fillScreen();
    } else if (!on && m_window->isFullScreen()) {
        m_wasMaximized ? m_window->showMaximized() : m_window->showNormal();
        if (!m_wasMaximized && m_normalGeometry.isValid())
            m_window->setGeometry(m_normalGeometry);
    }
    Q_EMIT toggled(on);
}

void PresentationMode::fitWindow()
{
    // Never larger than the screen it opens on: QT_SCALE_FACTOR=2 on 1920x1080 leaves 960x540.
    // On a large screen, most of it: the stage's columns want the width.
    const QScreen *s = m_window->screen();
    const QSize room = s ? s->availableSize() : QSize(1280, 760);
    m_window->resize(QSize(1280, 760).expandedTo(room * 0.9).boundedTo(room));
    m_fittedSize = m_window->size();
}

void PresentationMode::fillScreen()
{
    // Without a window manager (a bare X server, a kiosk) full screen is only a wish: the
    // geometry makes it so.
    if (const QScreen *s = m_window->screen())
        m_window->setGeometry(s->geometry());
    m_window->showFullScreen();
}

void PresentationMode::windowShown()
{
    if (m_shown)
        return;
    m_shown = true;
    // The screen it opens on may not be the one it was made on (nor resized since).
    if (!m_active && !m_window->isMaximized() && m_window->size() == m_fittedSize)
        fitWindow();
    if (m_active && !m_window->isFullScreen())
        QTimer::singleShot(0, this, [this] {
            if (m_active)
                fillScreen();
        });
    // Each screen keeps its own text size: moved to the projector, the window takes its size.
    if (QWindow *w = m_window->windowHandle())
        connect(w, &QWindow::screenChanged, this, [this] { m_text.follow(); });
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
