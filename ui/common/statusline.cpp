// SPDX-License-Identifier: GPL-2.0-or-later
#include "statusline.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace strata
{

StatusLine::StatusLine(QWidget *parent) : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("statusMessage"));
    m_busy = new QLabel(tr("◔ Working…"));
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->hide();
    m_progress = new QProgressBar;
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_cancel = new QToolButton;
    m_cancel->setText(tr("Cancel"));
    m_cancel->hide();
    row->addWidget(m_message, 1);
    row->addWidget(m_busy);
    row->addWidget(m_progress);
    row->addWidget(m_cancel);
    keepHeight();
    connect(m_cancel, &QToolButton::clicked, this, &StatusLine::cancelRequested);
    m_delay.setSingleShot(true);
    m_delay.setInterval(150);
    connect(&m_delay, &QTimer::timeout, this, [this] {
        m_busy->show();
        updateProgress();
        Q_EMIT busyShown(true);
    });
}

void StatusLine::keepHeight()
{
    // As tall as it is while busy, always: the progress bar appearing never pushes the stage up.
    setMinimumHeight(std::max({m_message->sizeHint().height(),
        m_busy->sizeHint().height(),
        m_progress->sizeHint().height(),
        m_cancel->sizeHint().height()}));
}

void StatusLine::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        keepHeight();
}

void StatusLine::say(const QString &text)
{
    m_message->setText(text);
}

QString StatusLine::text() const
{
    return m_message->text();
}

void StatusLine::setScanning(bool on)
{
    m_scanning = on;
    m_cancel->setVisible(on);
    updateProgress();
}

void StatusLine::setBusy(bool on)
{
    if (on) {
        if (!m_busy->isVisible())
            m_delay.start();
        return;
    }
    m_delay.stop();
    const bool wasShown = m_busy->isVisible();
    m_busy->hide();
    updateProgress();
    if (wasShown)
        Q_EMIT busyShown(false);
}

void StatusLine::updateProgress()
{
    m_progress->setVisible(m_scanning || m_busy->isVisible());
}

} // namespace strata
