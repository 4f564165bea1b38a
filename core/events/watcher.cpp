// SPDX-License-Identifier: GPL-2.0-or-later
#include "watcher.h"

#include "core/fs/dirscanner.h"

#include <QFile>
#include <QSocketNotifier>

#include <cerrno>
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
}

void Watcher::stop()
{
    ++m_generation;
    if (m_starter.joinable())
        m_starter.join(); // its result, queued to us, is dropped: another generation
    delete m_notifier;
    m_notifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_watches.clear();
    m_tracker.reset();
    m_settle.stop();
    m_lowerHits.clear();
    m_paused = false;
}

struct Watcher::Setup {
    int fd = -1;
    QHash<int, QPair<QByteArray, int>> watches;
    std::optional<ChangeTracker> tracker;
    Error error;
    bool ok = false;
    Setup() = default;
    Setup(const Setup &) = delete;
    Setup &operator=(const Setup &) = delete;
    ~Setup()
    {
        if (fd >= 0)
            ::close(fd); // a setup nobody installed (stopped meanwhile, or failed)
    }
};

namespace
{
void addTreeTo(int fd, QHash<int, QPair<QByteArray, int>> &watches, const QByteArray &path, int role)
{
    const int wd = ::inotify_add_watch(fd, path.constData(), Mask);
    if (wd < 0)
        return; // unreadable (the work dir's work/ is mode 000 for others): nothing to watch
    watches.insert(wd, {path, role});
    auto dir = DirScanner::openRoot(path);
    if (!dir || !dir->readAll())
        return;
    for (const DirScanner::Entry &e : dir->entries()) {
        if (e.dtype == 4 /* DT_DIR */)
            addTreeTo(fd, watches, path + '/' + QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size())), role);
    }
}
} // namespace

std::shared_ptr<Watcher::Setup> Watcher::prepare(const Workspace &workspace, int overlayIndex, bool userXattrs)
{
    auto s = std::make_shared<Setup>();
    auto tracker = ChangeTracker::create(workspace, overlayIndex, userXattrs);
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
    addTreeTo(s->fd, s->watches, QFile::encodeName(spec.upper), Upper);
    addTreeTo(s->fd, s->watches, QFile::encodeName(spec.work), Work);
    auto layers = workspace.mergeLayers(overlayIndex);
    if (layers) {
        for (const MergeLayer &l : *layers) {
            if (l.role == LayerRole::Lower)
                addTreeTo(s->fd, s->watches, QFile::encodeName(l.path), Lower);
        }
    }
    s->ok = true;
    return s;
}

void Watcher::install(Setup &setup)
{
    m_tracker = std::move(setup.tracker);
    m_fd = setup.fd;
    setup.fd = -1;
    m_watches = std::move(setup.watches);
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &Watcher::readEvents);
}

Status Watcher::start(const Workspace &workspace, int overlayIndex, bool userXattrs)
{
    stop();
    auto s = prepare(workspace, overlayIndex, userXattrs);
    if (!s->ok)
        return s->error;
    install(*s);
    return {};
}

void Watcher::startInBackground(const Workspace &workspace, int overlayIndex, bool userXattrs)
{
    stop();
    const quint64 generation = m_generation;
    m_starter = std::thread([this, workspace, overlayIndex, userXattrs, generation] {
        std::shared_ptr<Setup> s = prepare(workspace, overlayIndex, userXattrs);
        QMetaObject::invokeMethod(
            this,
            [this, s, generation] {
                if (generation != m_generation)
                    return; // stopped meanwhile: m_starter is another start's thread now
                if (m_starter.joinable())
                    m_starter.join(); // it has nothing left to do but return
                if (!s->ok) {
                    Q_EMIT failed(s->error.message);
                    return;
                }
                const bool paused = m_paused; // an edit of the app's own is running
                install(*s);
                m_paused = paused;
                if (m_editedWhileStarting && !paused) {
                    // The app edited before the picture was in: its changes are not outside ones.
                    (void)drain();
                    m_lowerHits.clear();
                    m_tracker->snapshot();
                }
                m_editedWhileStarting = false;
                Q_EMIT ready();
            },
            Qt::QueuedConnection);
    });
}

void Watcher::addTree(const QByteArray &path, int role)
{
    addTreeTo(m_fd, m_watches, path, role);
}

void Watcher::readEvents()
{
    if (drain() && !m_paused)
        m_settle.start();
}

bool Watcher::drain()
{
    if (m_fd < 0)
        return false;
    bool any = false;
    alignas(inotify_event) char buf[16384];
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        any = true;
        for (ssize_t pos = 0; pos < n;) {
            const auto *ev = reinterpret_cast<const inotify_event *>(buf + pos);
            pos += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
            const auto it = m_watches.constFind(ev->wd);
            if (it == m_watches.cend())
                continue;
            const QByteArray dir = it->first;
            const int role = it->second;
            const QByteArray name = ev->len ? QByteArray(ev->name) : QByteArray();
            // Even while paused: a directory the app creates must be watched for later edits.
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
                addTree(dir + '/' + name, role); // new directories get watched too
            if (ev->mask & IN_IGNORED)
                m_watches.remove(ev->wd);
            if (role == Lower) // the app never writes there: a hit is someone else's, paused or not
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
    for (const QString &p : std::as_const(m_lowerHits))
        Q_EMIT lowerChanged(p);
    m_lowerHits.clear();
    if (m_tracker)
        m_tracker->snapshot();
    m_paused = false;
}

void Watcher::resume(const QList<OverlayEvent> &own)
{
    if (!m_paused)
        return;
    (void)drain();
    m_settle.stop();
    m_paused = false;
    if (!m_tracker) {
        m_lowerHits.clear();
        return;
    }
    for (const QString &p : std::as_const(m_lowerHits))
        Q_EMIT lowerChanged(p);
    m_lowerHits.clear();
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
    QList<OverlayEvent> events;
    for (OverlayEvent &e : m_tracker->changes(QStringLiteral("(made by another program)"))) {
        if (ours(e.path))
            continue;
        e.outside = true;
        events << e;
    }
    if (!events.isEmpty())
        Q_EMIT changed(events);
}

void Watcher::settle()
{
    if (!m_tracker)
        return;
    for (const QString &p : std::as_const(m_lowerHits))
        Q_EMIT lowerChanged(p);
    m_lowerHits.clear();
    QList<OverlayEvent> events = m_tracker->changes(QStringLiteral("(made by another program)"));
    for (OverlayEvent &e : events)
        e.outside = true;
    if (!events.isEmpty())
        Q_EMIT changed(events);
}

} // namespace strata
