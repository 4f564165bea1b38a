// SPDX-License-Identifier: GPL-2.0-or-later
#include "watcher.h"

#include "core/fs/dirscanner.h"
#include "core/mount/mountinfo.h"
#include "core/util/background.h"
#include "core/util/filename.h"

#include <QHash>
#include <QSocketNotifier>

#include <cerrno>
#include <dirent.h>
#include <optional>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{
constexpr uint32_t Mask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF
    | IN_MOVE_SELF | IN_CLOSE_WRITE;

// The inode of a directory at `path`, or 0 when there is none.
ino_t directoryInode(const QByteArray &path)
{
    struct stat st {
    };
    return ::lstat(path.constData(), &st) == 0 && S_ISDIR(st.st_mode) ? st.st_ino : 0;
}

QString replacedText(LayerRole role, const QString &path, bool wasWatched, bool present, bool mounted)
{
    const QString what = roleName(role);
    QString text;
    if (!wasWatched)
        text = QStringLiteral("The %1 directory %2 is there again: watching it.").arg(what, path);
    else if (present)
        text = QStringLiteral("The %1 directory %2 was moved away or deleted by another program, and a new directory "
                              "is in its place: watching the new one.")
                   .arg(what, path);
    else
        text = QStringLiteral("The %1 directory %2 was moved away or deleted by another program: nothing is there "
                              "now. Watching for a new one.")
                   .arg(what, path);
    if (wasWatched && mounted)
        text += QStringLiteral(" The mounted overlay keeps using the old directory (the kernel holds on to it, "
                               "wherever it went): edits through the mount go there, not to %1, until it is mounted "
                               "again.")
                    .arg(path);
    return text;
}
} // namespace

Watcher::Watcher(QObject *parent) : QObject(parent)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(80);
    connect(&m_settle, &QTimer::timeout, this, &Watcher::settle);
}

Watcher::~Watcher()
{
    stop();
    // Cancelled by stop(): each returns at its next directory.
    for (QFuture<std::shared_ptr<Setup>> &f : m_setups)
        f.waitForFinished();
}

struct Watcher::Setup {
    struct Watch {
        QByteArray path;
        LayerRole role;
    };
    /// A directory whose tree is watched: upper, work, or a lower layer. Upper and work may be
    /// moved away or deleted and replaced; the watch of their parent tells when one is back.
    struct Root {
        QByteArray path;
        LayerRole role;
        QByteArray name; ///< its name in the parent directory
        int parentWd = -1;
        ino_t ino = 0; ///< 0: nothing there, waiting for a directory
        bool check = false; ///< moved, deleted or back: look again
    };
    int fd = -1;
    QHash<int, Watch> watches;
    QList<Root> roots;
    QString mountPoint;
    bool overflowed = false; // inotify dropped events: watch every directory again
    std::optional<ChangeTracker> tracker;
    Error error;
    bool ok = false;
    Setup() = default;
    Setup(const Setup &) = delete;
    Setup &operator=(const Setup &) = delete;
    ~Setup()
    {
        // Whoever holds the setup last closes the fd: the watcher when it stops, or nobody
        // ever installed it (it failed, was cancelled, or a newer start replaced it).
        if (fd >= 0)
            ::close(fd);
    }
    /// Watches `path` and every directory below it; false when cancelled on the way.
    bool addTree(const QByteArray &path, LayerRole role, const ScanControl *control = nullptr);
    /// Stops watching the tree of `role` (its root went away).
    void forgetTree(LayerRole role);
};

void Watcher::Setup::forgetTree(LayerRole role)
{
    for (auto it = watches.begin(); it != watches.end();) {
        if (it->role == role) {
            ::inotify_rm_watch(fd, it.key());
            it = watches.erase(it);
        } else {
            ++it;
        }
    }
}

bool Watcher::Setup::addTree(const QByteArray &path, LayerRole role, const ScanControl *control)
{
    if (control && control->isCancelled())
        return false;
    const int wd = ::inotify_add_watch(fd, path.constData(), Mask);
    if (wd < 0)
        return true; // unreadable (the work dir's work/ is mode 000 for others): nothing to watch
    watches.insert(wd, Watch {path, role});
    auto dir = DirScanner::openRoot(path);
    if (!dir || !dir->readAll())
        return true;
    for (const DirScanner::Entry &e : dir->entries()) {
        if (e.dtype == DT_DIR
            && !addTree(path + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size())), role, control))
            return false;
    }
    return true;
}

void Watcher::stop()
{
    ++m_generation;
    if (m_startControl)
        m_startControl->cancel(); // its result, queued to us, is dropped: another generation
    m_startControl.reset();
    m_starting = false;
    delete m_notifier;
    m_notifier = nullptr;
    m_active.reset();
    m_settle.stop();
    m_lowerHits.clear();
    m_paused = false;
}

std::shared_ptr<Watcher::Setup> Watcher::prepare(
    const Workspace &workspace, int overlayIndex, bool userXattrs, ScanControl *control)
{
    auto s = std::make_shared<Setup>();
    auto tracker = ChangeTracker::create(workspace, overlayIndex, userXattrs, control);
    if (!tracker) {
        s->error = tracker.error();
        return s;
    }
    s->tracker.emplace(std::move(tracker.value()));
    s->fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->fd < 0) {
        s->error = Error::fromErrno(errno, QStringLiteral("inotify"));
        return s;
    }
    const OverlaySpec &spec = workspace.overlays().at(overlayIndex);
    QList<QPair<QByteArray, LayerRole>> roots {
        {encodeFileName(spec.upper), LayerRole::Upper}, {encodeFileName(spec.work), LayerRole::Work}};
    if (auto layers = workspace.mergeLayers(overlayIndex)) {
        for (const MergeLayer &l : *layers) {
            if (l.role == LayerRole::Lower)
                roots.append({encodeFileName(l.path), LayerRole::Lower});
        }
    }
    s->mountPoint = spec.mountpoint;
    for (const auto &[path, role] : std::as_const(roots)) {
        Setup::Root root {path, role, path.mid(path.lastIndexOf('/') + 1), -1, directoryInode(path), false};
        if (role != LayerRole::Lower) {
            const QByteArray parent = path.left(std::max<qsizetype>(1, path.lastIndexOf('/')));
            root.parentWd
                = ::inotify_add_watch(s->fd, parent.constData(), IN_CREATE | IN_MOVED_TO | IN_MASK_ADD | IN_ONLYDIR);
        }
        s->roots.append(root);
        if (!s->addTree(path, role, control)) {
            s->error = Error {ECANCELED, QStringLiteral("the watch of %1 was cancelled").arg(spec.name)};
            ::close(s->fd); // now, not when the result is let go
            s->fd = -1;
            return s;
        }
    }
    s->ok = true;
    return s;
}

void Watcher::install(std::shared_ptr<Setup> setup)
{
    m_active = std::move(setup);
    m_notifier = new QSocketNotifier(m_active->fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Watcher::readEvents);
}

Status Watcher::start(const Workspace &workspace, int overlayIndex, bool userXattrs)
{
    stop();
    auto s = prepare(workspace, overlayIndex, userXattrs, nullptr);
    if (!s->ok)
        return s->error;
    install(std::move(s));
    return {};
}

void Watcher::startInBackground(const Workspace &workspace, int overlayIndex, bool userXattrs)
{
    stop();
    const quint64 generation = m_generation;
    auto control = std::make_shared<ScanControl>();
    m_startControl = control;
    m_starting = true;
    QFuture<std::shared_ptr<Setup>> setup = runInBackground([workspace, overlayIndex, userXattrs, control] {
        return prepare(workspace, overlayIndex, userXattrs, control.get());
    });
    m_setups.append(setup);
    // ready() and failed() come from the event loop, after startInBackground() returned.
    continueOn(setup, this, [this, generation](const std::shared_ptr<Setup> &s) {
        if (generation == m_generation)
            installStarted(s);
        // A finished future keeps its result, and a result its fd: forget the finished ones
        // (a setup stopped meanwhile is dropped here and its fd closed with it).
        m_setups.removeIf([](const QFuture<std::shared_ptr<Setup>> &f) { return f.isFinished(); });
    });
}

void Watcher::installStarted(const std::shared_ptr<Setup> &setup)
{
    m_starting = false;
    m_startControl.reset();
    if (!setup->ok) {
        Q_EMIT failed(setup->error.message);
        return;
    }
    const bool paused = m_paused; // an edit of the app's own is running
    install(setup);
    m_paused = paused;
    if (m_editedWhileStarting && !paused) {
        // The app edited before the picture was in: its changes are not outside ones.
        (void)drain();
        m_lowerHits.clear();
        m_active->tracker->snapshot();
    }
    m_editedWhileStarting = false;
    Q_EMIT ready();
}

void Watcher::readEvents()
{
    if (drain() && !m_paused)
        m_settle.start();
}

bool Watcher::drain()
{
    if (!m_active)
        return false;
    bool any = false;
    alignas(inotify_event) char buf[16384];
    for (;;) {
        const ssize_t n = ::read(m_active->fd, buf, sizeof buf);
        if (n <= 0)
            break;
        any = true;
        for (ssize_t pos = 0; pos < n;) {
            const auto *ev = reinterpret_cast<const inotify_event *>(buf + pos);
            pos += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            handleEvent(*ev);
        }
    }
    if (m_active->overflowed) {
        // Directories made while events were dropped would stay unwatched: walk every tree again.
        m_active->overflowed = false;
        for (const Setup::Root &r : std::as_const(m_active->roots)) {
            if (r.ino != 0)
                (void)m_active->addTree(r.path, r.role);
        }
    }
    reestablishRoots();
    return any;
}

void Watcher::handleEvent(const inotify_event &ev)
{
    if (ev.mask & IN_Q_OVERFLOW) {
        m_active->overflowed = true;
        return;
    }
    const QByteArray name = ev.len ? QByteArray(ev.name) : QByteArray();
    for (Setup::Root &r : m_active->roots) {
        // The parent says a directory of the root's name appeared: perhaps it is back.
        if (ev.wd == r.parentWd && (ev.mask & IN_ISDIR) && (ev.mask & (IN_CREATE | IN_MOVED_TO)) && name == r.name)
            r.check = true;
    }
    const auto it = m_active->watches.constFind(ev.wd);
    if (it == m_active->watches.cend())
        return;
    const QByteArray dir = it->path;
    const LayerRole role = it->role;
    if (ev.mask & (IN_MOVE_SELF | IN_DELETE_SELF | IN_IGNORED)) {
        for (Setup::Root &r : m_active->roots) {
            if (r.role == role && r.path == dir && r.role != LayerRole::Lower)
                r.check = true; // the root itself went away
        }
        if (ev.mask & IN_MOVE_SELF)
            return; // a directory below a root: its parent told already (IN_MOVED_FROM)
    }
    // Even while paused: a directory the app creates must be watched for later edits.
    if ((ev.mask & IN_ISDIR) && (ev.mask & (IN_CREATE | IN_MOVED_TO)))
        (void)m_active->addTree(dir + '/' + name, role); // new directories get watched too
    if (ev.mask & IN_IGNORED)
        m_active->watches.remove(ev.wd);
    if (role == LayerRole::Lower) // the app never writes there: a hit is someone else's, paused or not
        m_lowerHits << decodeFileName(QByteArray(dir + '/' + name));
}

void Watcher::reestablishRoots()
{
    const std::shared_ptr<Setup> active = m_active; // a listener may stop the watch
    bool upperReplaced = false;
    std::optional<bool> mounted;
    for (Setup::Root &r : active->roots) {
        if (!r.check)
            continue;
        r.check = false;
        const ino_t now = directoryInode(r.path);
        if (now != 0 && now == r.ino)
            continue; // moved away and back, or a sibling's name: the same directory
        const bool wasWatched = r.ino != 0;
        if (wasWatched)
            active->forgetTree(r.role);
        r.ino = now;
        if (now != 0)
            (void)active->addTree(r.path, r.role);
        if (!wasWatched && now == 0)
            continue;
        if (!mounted)
            mounted = MountInfo::overlayAt(active->mountPoint).has_value();
        upperReplaced = upperReplaced || r.role == LayerRole::Upper;
        Q_EMIT directoryReplaced(replacedText(r.role, decodeFileName(r.path), wasWatched, now != 0, *mounted));
        if (m_active != active)
            return; // a listener stopped the watch
    }
    // A mount still uses the old upper: the merged view did not change, and the new
    // directory's content is the next "before".
    if (upperReplaced && mounted.value_or(false))
        active->tracker->snapshot();
}

void Watcher::pause()
{
    if (isStarting())
        m_editedWhileStarting = true;
    if (m_paused)
        return;
    // Whatever inotify holds now happened before the app's edit: another program's.
    if (drain() || m_settle.isActive()) {
        m_settle.stop();
        settle();
    }
    m_paused = true;
}

void Watcher::resume()
{
    if (!m_paused)
        return;
    // The app's edit returned, so the kernel has queued all of its notifications: drop them.
    (void)drain();
    m_settle.stop();
    reportLowerHits();
    if (m_active)
        m_active->tracker->snapshot();
    m_paused = false;
}

void Watcher::resume(const QList<OverlayEvent> &own)
{
    if (!m_paused)
        return;
    (void)drain();
    m_settle.stop();
    m_paused = false;
    if (!m_active) {
        m_lowerHits.clear();
        return;
    }
    reportLowerHits();
    // Ours: a path the app's edit touched, a directory above one (its copy-up, its times), and
    // whatever lies below a directory it renamed or removed (the subtree went with it).
    const auto under = [](const QString &path, const QString &dir) {
        return path.startsWith(dir == QLatin1String("/") ? dir : dir + QLatin1Char('/'));
    };
    const auto ours = [&own, &under](const QString &path) {
        for (const OverlayEvent &e : own) {
            const bool subtree = e.kind == OverlayEvent::Kind::Renamed || e.kind == OverlayEvent::Kind::Redirect
                || e.kind == OverlayEvent::Kind::Removed || e.kind == OverlayEvent::Kind::Whiteout
                || e.kind == OverlayEvent::Kind::Opaque;
            for (const QString &p : {e.path, e.fromPath}) {
                if (!p.isEmpty() && (p == path || under(p, path) || (subtree && under(path, p))))
                    return true;
            }
        }
        return false;
    };
    reportOutsideChanges(ours);
}

void Watcher::settle()
{
    if (!m_active)
        return;
    reportLowerHits();
    reportOutsideChanges([](const QString &) { return false; });
}

void Watcher::reportLowerHits()
{
    for (const QString &p : std::as_const(m_lowerHits))
        Q_EMIT lowerChanged(p);
    m_lowerHits.clear();
}

void Watcher::reportOutsideChanges(const std::function<bool(const QString &path)> &ours)
{
    QList<OverlayEvent> events;
    for (OverlayEvent &e : m_active->tracker->changes(QStringLiteral("(made by another program)"))) {
        if (ours(e.path))
            continue;
        e.outside = true;
        events << e;
    }
    if (!events.isEmpty())
        Q_EMIT changed(events);
}

} // namespace strata
