// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "ui/common/ink.h"

#include <QLabel>
#include <QList>

class QGraphicsOpacityEffect;
class QPropertyAnimation;
class QPushButton;
class QTimer;

namespace strata
{

/// Plays the events of an edit one after the other as captions in plain language, each with
/// its shell command: it fades in, stays long enough to read, fades out. Idle, it keeps its
/// place with a faint hint. The speed is a factor from 0.25 to 4; 0 turns captions off.
class CaptionBanner final : public QLabel
{
    Q_OBJECT
public:
    explicit CaptionBanner(QWidget *parent = nullptr);

    void play(const QList<OverlayEvent> &events);
    /// Drops the caption on screen and those waiting: a newer edit has something to say.
    void clearQueue();
    /// A refused edit: what was tried, the kernel's errno explained and what would allow it;
    /// it stays until the next edit plays (a class reads it while the teacher explains).
    /// `retry` not empty: a button with these words ("Try again with redirect_dir=on") beside it.
    void showRefusal(const QString &command, const QString &explanation, const QString &retry = {});
    /// The refusal's button (hidden when it offers none); pressing it emits retryClicked().
    [[nodiscard]] QPushButton *retryButton() const { return m_retry; }
    [[nodiscard]] bool showsRefusal() const { return m_refusal; }
    void setSpeed(double factor);
    [[nodiscard]] double speed() const { return m_speed; }
    /// Events still to be shown, the current one included.
    [[nodiscard]] int pending() const { return static_cast<int>(m_queue.size()); }
    /// How long an event's caption stays fully visible at the current speed, in ms.
    [[nodiscard]] int holdTime(const OverlayEvent &event) const;
    /// A caption is on screen (not the idle hint).
    [[nodiscard]] bool isPlaying() const { return !m_queue.isEmpty(); }
    /// Its colours, from the palette around it (light or dark).
    [[nodiscard]] Ink::Colours colours() const;
    /// The text's size when the caption fits; a longer one is drawn smaller, never cut.
    void setTextFont(const QFont &font);
    /// The whole caption fits in the banner (its last line included).
    [[nodiscard]] bool fits() const;

Q_SIGNALS:
    /// An event's caption starts: the views can point at its path.
    void showing(const strata::OverlayEvent &event);
    /// The refusal's "Try again with…" button was pressed.
    void retryClicked();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitText();
    void next();
    void showIdle();
    bool m_refusal = false;
    void applyColours();
    void showRetry(const QString &text);
    void placeRetry();

    QList<OverlayEvent> m_queue;
    double m_speed = 1.0;
    QGraphicsOpacityEffect *m_opacity = nullptr;
    QPropertyAnimation *m_fade = nullptr;
    QTimer *m_hold = nullptr;
    QPushButton *m_retry = nullptr;
    QFont m_textFont;
    bool m_fitting = false;
};

} // namespace strata
