// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "core/session/backendpolicy.h"
#include "core/session/stacksession.h"
#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace strata
{

class Watcher;

/// What the main window needs around the selected overlay of a workspace: which backend edits
/// go through (and whether each can work here), a mount in this process's namespace that is
/// recorded and always taken down again, a terminal in the merged view, and the edits other
/// programs make (the app's own edits bracketed by beginOwnEdit/endOwnEdit are not reported).
class MountController final : public QObject
{
    Q_OBJECT
public:
    explicit MountController(QObject *parent = nullptr);
    /// Unmounts whatever this controller mounted.
    ~MountController() override;

    /// What works on this machine; tests set made-up facts.
    [[nodiscard]] const BackendPolicy &policy() const { return m_policy; }
    void setPolicy(BackendPolicy policy);

    /// Selects an overlay and starts watching it in the background (watching() follows, or
    /// message() says why not). First unmounts what this controller mounted for the previous
    /// selection. False (see errorString()) when the index is bad or that unmount failed.
    [[nodiscard]] bool setOverlay(const Workspace &workspace, int overlayIndex);
    /// Unmounts what this controller mounted, stops watching, selects nothing.
    void clear();
    [[nodiscard]] bool hasOverlay() const { return m_workspace.has_value(); }
    [[nodiscard]] int overlayIndex() const { return m_index; }
    /// The selected overlay's merged directory (its mountpoint); empty without a selection.
    [[nodiscard]] QString mergedDirectory() const;

    /// The backend the user picked. Changing it unmounts what was mounted with the old one.
    void setBackend(Backend backend);
    [[nodiscard]] Backend backend() const { return m_backend; }
    /// backend() with Auto resolved (BackendPolicy::choose()).
    [[nodiscard]] Backend effectiveBackend() const { return m_policy.choose(m_backend).backend; }
    /// For the status bar: which backend edits go through and, when `auto` picked it, why.
    [[nodiscard]] QString backendStatus() const;

    /// A session for edits through the backend (BackendPolicy::openSession()): the engine, or
    /// the kernel (on the mount when there is one here, else in a private mount for the edit).
    [[nodiscard]] Result<std::unique_ptr<StackSession>> openSession() const;

    /// Mounts overlays 0..selected here with the effective backend, recorded in the
    /// MountRegistry so a crash leaves a record the stale-mount check finds. False with the
    /// kernel's words in errorString() (and message()) on failure; nothing stays mounted then.
    [[nodiscard]] bool mount();
    /// Unmounts, last first, only the mounts this controller made.
    [[nodiscard]] bool unmount();
    /// The selected overlay is mounted in this mount namespace (by anyone).
    [[nodiscard]] bool isMounted() const;
    /// This controller made the mount of the selected overlay (and will take it down).
    [[nodiscard]] bool ownsMount() const { return !m_mine.isEmpty(); }

    /// The terminal program and the arguments that precede a command: $STRATA_TERMINAL,
    /// $TERMINAL (both "-e"), else x-terminal-emulator -e, xterm -e, gnome-terminal --,
    /// konsole -e from PATH.
    [[nodiscard]] static Result<QStringList> terminalLauncher();
    /// The strata binary: $STRATA_CLI, else next to this executable, else on PATH.
    [[nodiscard]] static QString strataExecutable();
    /// The full command "Open terminal here" starts: a shell in the merged directory when the
    /// overlay is mounted here, else `strata shell WS --overlay NAME --backend B`.
    [[nodiscard]] Result<QStringList> terminalCommand() const;
    /// Starts terminalCommand() detached. False with the reason in errorString().
    [[nodiscard]] bool openTerminal();

    /// Brackets an edit the app makes itself, so the watcher does not report it as an
    /// outside edit. Nests.
    void beginOwnEdit();
    void endOwnEdit();
    /// Ends the bracket knowing what the app's edit did (its events): anything else that
    /// changed meanwhile is reported as an outside edit.
    void endOwnEdit(const QList<OverlayEvent> &own);
    [[nodiscard]] bool isWatching() const;
    /// The watch is still being set up in the background.
    [[nodiscard]] bool isWatchStarting() const;
    /// Settle time of the watcher (ms), for tests and fast machines.
    void setWatchSettleTime(int ms);

    [[nodiscard]] const QString &errorString() const { return m_error; }

Q_SIGNALS:
    void mountedChanged(bool mounted);
    void backendChanged(strata::Backend backend);
    /// For the status bar: what happened, or why it failed, in the kernel's words.
    void message(const QString &text);
    /// Edits made by other programs (a terminal, a file manager) on the selected overlay;
    /// every event has outside == true.
    void outsideEdit(const QList<strata::OverlayEvent> &events);
    /// A lower layer changed under the overlay: undefined behaviour while it is mounted.
    void lowerChanged(const QString &path);
    /// The watch on the selected overlay is in place (it starts in the background).
    void watching();

private:
    struct OwnMount {
        QString mountPoint;
        bool fuse = false;
    };

    bool fail(const QString &text);
    void say(const QString &text);
    /// Takes down this controller's mounts; `force` detaches busy ones lazily (destructor,
    /// selection change) so no mount outlives the controller.
    bool unmountOwn(bool force);
    void restartWatcher();
    void setMountedState(bool mounted);

    std::optional<Workspace> m_workspace;
    int m_index = -1;
    BackendPolicy m_policy;
    Backend m_backend = Backend::Auto;
    QList<OwnMount> m_mine; // mount order
    Watcher *m_watcher = nullptr;
    int m_ownEditDepth = 0;
    bool m_lastMounted = false;
    QString m_error;
};

} // namespace strata
