// SPDX-License-Identifier: GPL-2.0-or-later
#include "legenddialog.h"

#include "ui/help/legend.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata
{

LegendDialog::LegendDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("legendDialog"));
    setWindowTitle(tr("What am I looking at? — Stratascope"));
    auto *layout = new QVBoxLayout(this);
    m_text = new QTextBrowser;
    m_text->setObjectName(QStringLiteral("legendText"));
    m_text->setOpenExternalLinks(true);
    layout->addWidget(m_text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    fill();
    resize(760, 640);
    m_text->setFocus(); // the arrows and Page Down scroll it at once
}

QString LegendDialog::text() const
{
    return m_text->toPlainText();
}

void LegendDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        fill();
}

void LegendDialog::fill()
{
    const int scroll = m_text->verticalScrollBar()->value();
    m_text->setHtml(Legend::html(palette()));
    m_text->verticalScrollBar()->setValue(scroll);
}

} // namespace strata
