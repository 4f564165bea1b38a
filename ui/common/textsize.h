// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QFont>
#include <QObject>

class QScreen;
class QWidget;

namespace strata
{

/// The text size of the whole application: the platform's font, or in presentation mode one
/// that scales with the screen (24 px on a 1080-line projector), times a zoom the user picks
/// with Ctrl+= / Ctrl+- / Ctrl+0. The zoom is remembered per screen and mode: a laptop panel
/// and the classroom projector each keep their own.
class TextSize final : public QObject
{
    Q_OBJECT
public:
    explicit TextSize(QWidget *window, QObject *parent = nullptr);

    void setPresenting(bool on);
    [[nodiscard]] bool presenting() const { return m_presenting; }
    void zoomIn() { setStep(m_step + 1); }
    void zoomOut() { setStep(m_step - 1); }
    void reset() { setStep(0); }
    /// The window is on another screen now: its remembered zoom applies.
    void follow();

    /// The zoom factor of the current step (1 at Ctrl+0).
    [[nodiscard]] double zoom() const;
    /// The application font's pixel size now.
    [[nodiscard]] int pixelSize() const;
    /// The pixel size presentation mode starts from on a screen `screenHeight` pixels tall.
    [[nodiscard]] static int presentationPixelSize(int screenHeight, int normalPixelSize);

Q_SIGNALS:
    void changed(int pixelSize);

private:
    void setStep(int step);
    void apply();
    [[nodiscard]] QScreen *screen() const;
    [[nodiscard]] QString settingsKey() const;
    [[nodiscard]] int normalPixelSize() const;

    QWidget *m_window;
    QFont m_normal; // the platform's font, before any change
    int m_step = 0;
    bool m_presenting = false;
};

} // namespace strata
