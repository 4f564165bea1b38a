// SPDX-License-Identifier: GPL-2.0-or-later
#include "captionbanner.h"

#include "ui/common/eventstyle.h"

#include <QApplication>
#include <QEvent>

#include <QGraphicsOpacityEffect>
#include <QPropertyAnimation>
#include <QPushButton>
#include <QTimer>

#include <cmath>

namespace strata
{

CaptionBanner::CaptionBanner(QWidget *parent)
    : QLabel(parent)
    , m_opacity(new QGraphicsOpacityEffect(this))
    , m_fade(new QPropertyAnimation(m_opacity, "opacity", this))
    , m_hold(new QTimer(this))
    , m_retry(new QPushButton(this))
{
    setObjectName(QStringLiteral("captionBanner"));
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setMargin(4); // the words get the room: the strip is a fixed height
    applyColours();
    setGraphicsEffect(m_opacity);
    m_opacity->setOpacity(0.0);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->hide();
    connect(m_retry, &QPushButton::clicked, this, &CaptionBanner::retryClicked);
    m_hold->setSingleShot(true);
    connect(m_hold, &QTimer::timeout, this, [this] {
        m_fade->stop();
        m_fade->setStartValue(1.0);
        m_fade->setEndValue(0.0);
        m_fade->setDuration(static_cast<int>(300 / m_speed));
        m_fade->start();
    });
    connect(m_fade, &QPropertyAnimation::finished, this, [this] {
        if (m_opacity->opacity() < 0.5 && !m_queue.isEmpty()) {
            m_queue.removeFirst();
            next();
        }
    });
    showIdle();
}

void CaptionBanner::showIdle()
{
    // The banner keeps its place on the stage when it has nothing to say: the trees above
    // it never jump. It says where the story will appear.
    m_hold->stop();
    m_fade->stop();
    m_refusal = false;
    showRetry({});
    setText(QStringLiteral("<i>%1</i>")
                .arg(tr("Edit something in the merged view: what the overlay does appears here, step by step.")
                         .toHtmlEscaped()));
    fitText();
    m_opacity->setOpacity(0.45);
}

Ink::Colours CaptionBanner::colours() const
{
    // The surroundings' palette: the banner's own is the style sheet's.
    return Ink::caption(parentWidget() ? parentWidget()->palette() : QApplication::palette());
}

void CaptionBanner::applyColours()
{
    const Ink::Colours c = colours();
    const QString sheet = QStringLiteral(
        "QLabel#captionBanner { background: %1; border: 2px solid %2; border-radius: 6px; color: %3; }")
                              .arg(c.background.name(), c.border.name(), c.text.name());
    if (sheet != styleSheet()) // setting it changes the palette again
        setStyleSheet(sheet);
}

void CaptionBanner::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ParentChange)
        applyColours();
}

void CaptionBanner::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    placeRetry();
    fitText();
}

void CaptionBanner::showRetry(const QString &text)
{
    m_retry->setText(text);
    m_retry->setVisible(!text.isEmpty());
    // The words keep clear of the button: it sits in the banner's right edge.
    setContentsMargins(0, 0, text.isEmpty() ? 0 : m_retry->sizeHint().width() + 8, 0);
    placeRetry();
}

void CaptionBanner::placeRetry()
{
    const QSize hint = m_retry->sizeHint();
    m_retry->setGeometry(width() - hint.width() - 6, height() - hint.height() - 6, hint.width(), hint.height());
}

void CaptionBanner::setTextFont(const QFont &font)
{
    m_textFont = font;
    fitText();
}

bool CaptionBanner::fits() const
{
    return heightForWidth(width()) <= height();
}

void CaptionBanner::fitText()
{
    // A long caption (a command that wraps twice) keeps its last line: its words get a little
    // smaller, down to two thirds of the stage's size, rather than lose the end.
    if (m_fitting || width() <= 0)
        return;
    m_fitting = true;
    QFont f = m_textFont;
    const bool pixels = f.pixelSize() > 0;
    const double full = pixels ? f.pixelSize() : f.pointSizeF();
    for (double size = full; size >= full * 2 / 3; size -= full / 12) {
        if (pixels)
            f.setPixelSize(static_cast<int>(std::round(size)));
        else
            f.setPointSizeF(size);
        setFont(f);
        if (fits())
            break;
    }
    m_fitting = false;
}

void CaptionBanner::setSpeed(double factor)
{
    m_speed = factor;
    if (m_speed <= 0) {
        m_queue.clear();
        showIdle();
    }
    setVisible(m_speed > 0);
}

void CaptionBanner::clearQueue()
{
    m_queue.clear();
    showIdle();
}

void CaptionBanner::showRefusal(const QString &command, const QString &explanation, const QString &retry)
{
    if (m_speed <= 0)
        return;
    m_queue.clear();
    m_hold->stop();
    m_fade->stop();
    showRetry(retry);
    // Not colour alone: the cross and the word say it was refused.
    setText(QStringLiteral("<b>✖ %1</b> &nbsp; <tt>$ %2</tt><br>%3")
                .arg(tr("refused").toHtmlEscaped(), command.toHtmlEscaped(), explanation.toHtmlEscaped()));
    fitText();
    m_opacity->setOpacity(1.0);
    m_refusal = true;
}

void CaptionBanner::play(const QList<OverlayEvent> &events)
{
    if (m_speed <= 0 || events.isEmpty())
        return;
    const bool idle = m_queue.isEmpty();
    m_queue += events;
    if (idle)
        next();
}

void CaptionBanner::next()
{
    if (m_queue.isEmpty() || m_speed <= 0) {
        showIdle();
        return;
    }
    const OverlayEvent &e = m_queue.first();
    m_refusal = false;
    showRetry({});
    // The watcher cannot know the command another program ran.
    setText((e.outside ? QStringLiteral("<b>%1 %2</b> &nbsp; <tt>%3</tt><br>%4<br><i>%5</i>")
                       : QStringLiteral("<b>%1 %2</b> &nbsp; <tt>%3</tt><br>%4<br><tt>$ %5</tt>"))
                .arg(EventStyle::of(e.kind).glyph,
                    (e.outside ? tr("%1 — outside the app").arg(OverlayEvent::kindName(e.kind))
                               : OverlayEvent::kindName(e.kind))
                        .toHtmlEscaped(),
                    e.path.toHtmlEscaped(),
                    e.explanation.toHtmlEscaped(),
                    e.command.toHtmlEscaped()));
    fitText();
    Q_EMIT showing(e);
    m_fade->stop();
    m_fade->setStartValue(0.0);
    m_fade->setEndValue(1.0);
    m_fade->setDuration(static_cast<int>(300 / m_speed));
    m_fade->start();
    m_hold->start(holdTime(e));
}

int CaptionBanner::holdTime(const OverlayEvent &event) const
{
    // Long enough to read: about 2.5 s at 1x, more for long sentences.
    return m_speed > 0 ? static_cast<int>((1500 + 25 * event.explanation.size()) / m_speed) : 0;
}

} // namespace strata
