// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/changetracker.h"
#include "core/util/scancontrol.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QSocketNotifier;
struct inotify_event;

namespace strata
{

/// Watches an overlay's upper, work and lower directories with inotify, for edits made by
/// other programs (a terminal in the merged view). A burst of notifications is collected for
/// a moment, then the ChangeTracker says what the kernel did; events are marked "outside".
class Watcher final : public QObject
{
    Q_OBJECT
public:
    explicit Watcher(QObject *parent = nullptr);
    ~Watcher() override;

    /// Starts watching; replaces any earlier watch. Fails when inotify is unavailable.
    /// `userXattrs`: the overlay is mounted with userxattr (user namespace), so opaque and
    /// redirect marks are user.overlay.* whatever the workspace says.
    [[nodiscard]] Status start(const Workspace &workspace, int overlayIndex, bool userXattrs = false);
    /// The same, with the slow part (a watch per directory, the picture of the lower layers)
    /// run in the background: ready() or failed() follows. For a window, which must not freeze.
    void startInBackground(const Workspace &workspace, int overlayIndex, bool userXattrs = false);
    /// Ends the watch. A setup still running is cancelled and its result dropped; stop()
    /// does not wait for it.
    void stop();
    [[nodiscard]] bool isWatching() const { return m_active != nullptr; }
    [[nodiscard]] bool isStarting() const { return m_starting; }

    /// Stops reporting while the app edits the overlay itself: its own changes are not
    /// "outside" edits. A burst from another program that is still pending is reported first.
    void pause();
    /// Reports again. What happened while paused is dropped and the tracker takes a new
    /// "before" picture of upper, so the app's own edit never shows up later.
    void resume();
    /// Reports again, knowing what the app's own edit did: every other change made while
    /// paused (a terminal writing at the same moment) is reported as an outside edit.
    void resume(const QList<OverlayEvent> &own);
    [[nodiscard]] bool isPaused() const { return m_paused; }
    /// How long to wait for a burst to end before classifying it.
    void setSettleTime(int ms) { m_settle.setInterval(ms); }

Q_SIGNALS:
    void changed(const QList<strata::OverlayEvent> &events);
    /// A lower layer changed under a (possibly mounted) overlay: undefined behaviour.
    void lowerChanged(const QString &path);
    /// Another program moved or deleted the upper or work directory itself, or put a new one
    /// in its place: what happened, in one sentence, and what is watched now. The watch
    /// follows the directory at the workspace's path.
    void directoryReplaced(const QString &message);
    /// startInBackground() is done: the watch is in place.
    void ready();
    void failed(const QString &message);

private:
    struct Setup;
    [[nodiscard]] static std::shared_ptr<Setup> prepare(
        const Workspace &workspace, int overlayIndex, bool userXattrs, ScanControl *control);
    void install(std::shared_ptr<Setup> setup);
    void installStarted(const std::shared_ptr<Setup> &setup);
    void readEvents();
    /// Reads what inotify queued; returns whether anything was there.
    bool drain();
    /// One inotify event, read by drain().
    void handleEvent(const inotify_event &ev);
    /// Watches again the upper or work directories that were moved or deleted and are back
    /// (or were replaced), says so, and takes a new picture when a mount still uses the old one.
    void reestablishRoots();
    void settle();
    /// Tells lowerChanged() for the lower-layer hits collected so far.
    void reportLowerHits();
    /// Tells changed() for what the tracker found, but for the paths that are `ours`.
    void reportOutsideChanges(const std::function<bool(const QString &path)> &ours);

    std::shared_ptr<Setup> m_active; // the watch in place: owns the inotify fd
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_settle;
    QStringList m_lowerHits;
    bool m_paused = false;
    bool m_starting = false;
    bool m_editedWhileStarting = false;
    std::shared_ptr<ScanControl> m_startControl; // cancels the setup running in the background
    QList<QFuture<std::shared_ptr<Setup>>> m_setups; // setups not finished yet, waited for on destruction
    quint64 m_generation = 0; // a started-in-background watch that was stopped meanwhile is dropped
};

} // namespace strata
