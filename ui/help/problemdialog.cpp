// SPDX-License-Identifier: GPL-2.0-or-later
#include "problemdialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

namespace strata
{

ProblemDialog::ProblemDialog(ProblemReport::Context context, const BackendPolicy &policy, QWidget *parent)
    : QDialog(parent), m_text(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("problemDialog"));
    setWindowTitle(tr("Report a Problem"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Describe what happened below the facts, then copy the text into your report. "
                                "Nothing is sent from here."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    context.platform = displayFacts();
    m_text->setObjectName(QStringLiteral("problemText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(ProblemReport::text(context, policy));
    m_text->setMinimumSize(
        m_text->fontMetrics().horizontalAdvance(QLatin1Char('m')) * 80, m_text->fontMetrics().lineSpacing() * 30);
    intro->setBuddy(m_text);
    layout->addWidget(m_text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *copy = buttons->addButton(tr("&Copy to Clipboard"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyReport"));
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(text()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    copy->setDefault(true);
}

QString ProblemDialog::text() const
{
    return m_text->toPlainText();
}

QString ProblemDialog::displayFacts()
{
    QStringList screens;
    for (const QScreen *s : QGuiApplication::screens())
        screens << QStringLiteral("%1 %2×%3 @%4")
                       .arg(s->name())
                       .arg(s->geometry().width())
                       .arg(s->geometry().height())
                       .arg(s->devicePixelRatio());
    return QStringLiteral("%1, %2").arg(QGuiApplication::platformName(), screens.join(QStringLiteral("; ")));
}

} // namespace strata
