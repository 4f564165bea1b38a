// SPDX-License-Identifier: GPL-2.0-or-later
#include "watcher.h"

#include "core/fs/dirscanner.h"
#include "core/util/background.h"

#include <QFile>
#include <QHash>
#include <QSocketNotifier>

#include <cerrno>
#include <dirent.h>
#include <optional>
#include <sys/inotify.h>
#include <unistd.h>

namespace strata
{

namespace
{
constexpr uint32_t Mask
    = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_CLOSE_WRITE;
}

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
    int fd = -1;
    QHash<int, Watch> watches;
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
};

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
        {QFile::encodeName(spec.upper), LayerRole::Upper}, {QFile::encodeName(spec.work), LayerRole::Work}};
    if (auto layers = workspace.mergeLayers(overlayIndex)) {
        for (const MergeLayer &l : *layers) {
            if (l.role == LayerRole::Lower)
                roots.append({QFile::encodeName(l.path), LayerRole::Lower});
        }
    }
    for (const auto &[path, role] : std::as_const(roots)) {
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
            const auto it = m_active->watches.constFind(ev->wd);
            if (it == m_active->watches.cend())
                continue;
            const QByteArray dir = it->path;
            const LayerRole role = it->role;
            const QByteArray name = ev->len ? QByteArray(ev->name) : QByteArray();
            // Even while paused: a directory the app creates must be watched for later edits.
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
                (void)m_active->addTree(dir + '/' + name, role); // new directories get watched too
            if (ev->mask & IN_IGNORED)
                m_active->watches.remove(ev->wd);
            if (role == LayerRole::Lower) // the app never writes there: a hit is someone else's, paused or not
                m_lowerHits << QFile::decodeName(dir + '/' + name);
        }
    }
    return any;
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
