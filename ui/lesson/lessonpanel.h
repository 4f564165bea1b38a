// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace strata
{

class LessonPlayer;

/// The lesson's narration with its step counter, and Previous / Next / Auto-play
/// (Page Up / Page Down). Long narrations scroll instead of being cut.
class LessonPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit LessonPanel(LessonPlayer *player, QWidget *parent = nullptr);

    [[nodiscard]] QString narration() const;
    void setBusy(bool busy);

private:
    void showStep();

    LessonPlayer *m_player;
    QLabel *m_counter = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
};

} // namespace strata
