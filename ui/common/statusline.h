// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace strata
{

/// The window's status bar: the last thing said, a scan's progress with Cancel, and the busy
/// state of an edit ("◔ Working…"), shown only when the edit takes long enough to notice, so
/// quick edits never flash it.
class StatusLine final : public QWidget
{
    Q_OBJECT
public:
    explicit StatusLine(QWidget *parent = nullptr);

    void say(const QString &text);
    [[nodiscard]] QString text() const;
    /// A scan runs (progress and Cancel) or is over.
    void setScanning(bool on);
    /// An edit runs, or is over.
    void setBusy(bool on);

Q_SIGNALS:
    void cancelRequested();
    /// The busy state became visible (after a short delay), or went away.
    void busyShown(bool shown);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateProgress();
    void keepHeight();

    QTimer m_delay; // before the busy state shows
    bool m_scanning = false;
    QLabel *m_message = nullptr;
    QLabel *m_busy = nullptr;
    QProgressBar *m_progress = nullptr;
    QToolButton *m_cancel = nullptr;
};

} // namespace strata
