// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/mountcontroller.h"
#include "core/stack/workspace.h"

#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;

namespace strata
{

/// Above the views: the exact mount command for the chosen backend, the backend combo (every
/// backend, those that cannot work here disabled with the reason), Mount / Unmount, Open
/// Terminal Here, and the mount state in a word with the sentence in its tooltip.
class MountBar final : public QWidget
{
    Q_OBJECT
public:
    MountBar(MountController *mounts, QWidget *parent = nullptr);

    /// The overlay `index` of `workspace` is shown (its command follows the backend).
    void showOverlay(const Workspace &workspace, int index);
    /// A read-only view: nothing to mount; `text` says what it is.
    void showReadOnly(const QString &text);
    /// Follows the controller's backend and mount state.
    void refresh();
    void setBusy(bool busy);
    /// Compact: the controls without the command text (presentation mode gives the stage the room).
    void setCompact(bool on);

    [[nodiscard]] QAction *mountAction() const { return m_mountAction; }
    [[nodiscard]] QAction *terminalAction() const { return m_terminalAction; }
    [[nodiscard]] QString commandText() const;
    /// Mounts left behind by a process that died (a crash, SIGKILL): asks whether to remove
    /// them (offscreen: removes them). Returns how many were found; `status` says what was done.
    int offerStaleCleanup(QString *status);

Q_SIGNALS:
    void backendChosen(strata::Backend backend);
    void mountRequested(bool on);
    void terminalRequested();

private:
    [[nodiscard]] QString mountCommand() const;

    MountController *m_mounts;
    // What is shown: its command, and its state in a word.
    std::optional<Workspace> m_workspace;
    int m_overlay = -1;
    QLabel *m_command = nullptr;
    QLabel *m_state = nullptr;
    // What the user can do with it.
    bool m_busy = false;
    QComboBox *m_backendCombo = nullptr;
    QAction *m_mountAction = nullptr;
    QAction *m_terminalAction = nullptr;
};

} // namespace strata
