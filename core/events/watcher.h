// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/changetracker.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>
#include <thread>

class QSocketNotifier;

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
    /// on a worker thread: ready() or failed() follows. For a window, which must not freeze.
    void startInBackground(const Workspace &workspace, int overlayIndex, bool userXattrs = false);
    void stop();
    [[nodiscard]] bool isWatching() const { return m_fd >= 0; }
    [[nodiscard]] bool isStarting() const { return m_starter.joinable(); }

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
    /// startInBackground() is done: the watch is in place.
    void ready();
    void failed(const QString &message);

private:
    struct Setup;
    [[nodiscard]] static std::shared_ptr<Setup> prepare(const Workspace &workspace, int overlayIndex, bool userXattrs);
    void install(Setup &setup);
    void addTree(const QByteArray &path, int role);
    void readEvents();
    /// Reads what inotify queued; returns whether anything was there.
    bool drain();
    void settle();

    enum Role { Upper, Work, Lower };
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, QPair<QByteArray, int>> m_watches; // wd -> (path, role)
    std::optional<ChangeTracker> m_tracker;
    QTimer m_settle;
    QStringList m_lowerHits;
    bool m_paused = false;
    std::thread m_starter;
    bool m_editedWhileStarting = false;
    quint64 m_generation = 0; // a started-in-background watch that was stopped meanwhile is dropped
};

} // namespace strata
