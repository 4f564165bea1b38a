// SPDX-License-Identifier: GPL-2.0-or-later
#include "lessonpanel.h"

#include "ui/lesson/lessonplayer.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace strata
{

LessonPanel::LessonPanel(LessonPlayer *player, QWidget *parent) : QWidget(parent), m_player(player)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    m_counter = new QLabel;
    m_counter->setObjectName(QStringLiteral("lessonCounter"));
    QFont bold = m_counter->font();
    bold.setBold(true);
    m_counter->setFont(bold);
    m_counter->setWordWrap(true);
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_previous = new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekBackward), tr("Previous"));
    m_next = new QPushButton(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Next"));
    auto *play = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Auto-play"));
    play->setCheckable(true);
    m_previous->setShortcut(QKeySequence(Qt::Key_PageUp));
    m_next->setShortcut(QKeySequence(Qt::Key_PageDown));
    // The counter and the buttons share a line: the narration gets the rest of the strip.
    auto *top = new QHBoxLayout;
    top->addWidget(m_counter, 1);
    top->addWidget(m_previous);
    top->addWidget(m_next);
    top->addWidget(play);
    v->addLayout(top);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_text);
    v->addWidget(scroll, 1);
    connect(m_previous, &QPushButton::clicked, m_player, &LessonPlayer::previous);
    connect(m_next, &QPushButton::clicked, m_player, &LessonPlayer::next);
    connect(play, &QPushButton::toggled, m_player, &LessonPlayer::setAutoPlay);
    connect(m_player, &LessonPlayer::autoPlayStopped, play, [play] { play->setChecked(false); });
    connect(m_player, &LessonPlayer::stepShown, this, &LessonPanel::showStep);
}

QString LessonPanel::narration() const
{
    return m_text->text();
}

void LessonPanel::setBusy(bool busy)
{
    m_previous->setEnabled(!busy);
    m_next->setEnabled(!busy);
}

void LessonPanel::showStep()
{
    m_counter->setText(m_player->counterText());
    m_text->setText(m_player->narration());
}

} // namespace strata
