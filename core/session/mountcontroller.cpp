// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountcontroller.h"

#include "core/events/watcher.h"
#include "core/mount/fusemounter.h"
#include "core/mount/kernelmounter.h"
#include "core/mount/mountinfo.h"
#include "core/mount/mountregistry.h"
#include "core/mount/stackmounter.h"
#include "core/util/filename.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

namespace strata
{

namespace
{

// Last resort when a mount is busy (a terminal sits in it) and must not outlive us: detach it
// from the namespace now; the kernel frees it when its last user lets go.
Status detach(const QString &mountPoint, bool fuse)
{
    if (::umount2(encodeFileName(mountPoint).constData(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
        return {};
    const int err = errno;
    if (fuse
        && QProcess::execute(QStringLiteral("fusermount3"), {QStringLiteral("-u"), QStringLiteral("-z"), mountPoint})
            == 0)
        return {};
    return Error::fromErrno(err, QStringLiteral("umount -l %1").arg(mountPoint));
}

// A program named by an environment variable or found on PATH, as an absolute path.
QString executable(const QString &program)
{
    if (program.contains(QLatin1Char('/')))
        return QFileInfo(program).isExecutable() ? program : QString();
    return QStandardPaths::findExecutable(program);
}

} // namespace

MountController::MountController(QObject *parent) : QObject(parent), m_watcher(new Watcher(this))
{
    connect(m_watcher, &Watcher::changed, this, &MountController::outsideEdit);
    connect(m_watcher, &Watcher::lowerChanged, this, &MountController::lowerChanged);
    connect(m_watcher, &Watcher::directoryReplaced, this, &MountController::message);
    connect(m_watcher, &Watcher::ready, this, &MountController::watching);
    connect(m_watcher, &Watcher::failed, this, [this](const QString &message) {
        (void)fail(QStringLiteral("Edits made outside the app will not be shown: %1").arg(message));
    });
}

MountController::~MountController()
{
    // Nobody listens any more; the mounts still have to go.
    blockSignals(true);
    (void)unmountOwn(true);
}

void MountController::setPolicy(BackendPolicy policy)
{
    m_policy = std::move(policy);
    restartWatcher();
}

QString MountController::backendStatus() const
{
    const BackendPolicy::Choice c = m_policy.choose(m_backend);
    if (c.backend != Backend::Engine)
        return tr("Edits go through the kernel (%1): on the mount when mounted, else a private mount per edit.")
            .arg(m_policy.label(c.backend));
    // Auto fell back: the same sentence `strata op --backend auto` prints.
    if (m_backend == Backend::Auto)
        return tr("Automatic backend: %1.").arg(c.reason);
    return tr("Edits go through the userspace engine: no mount, every step shown.");
}

bool MountController::fail(const QString &text)
{
    m_error = text;
    Q_EMIT message(text);
    return false;
}

void MountController::say(const QString &text)
{
    m_error.clear();
    Q_EMIT message(text);
}

bool MountController::setOverlay(const Workspace &workspace, int overlayIndex)
{
    if (overlayIndex < 0 || overlayIndex >= workspace.overlays().size())
        return fail(QStringLiteral("no overlay number %1 in %2").arg(overlayIndex).arg(workspace.filePath()));
    m_error.clear();
    // Selecting the same overlay again (a rescan) keeps its mount.
    const bool same = m_workspace && m_index == overlayIndex && m_workspace->baseDir() == workspace.baseDir()
        && m_workspace->toJson() == workspace.toJson();
    if (same)
        return true;
    const bool unmounted = unmountOwn(true);
    m_workspace = workspace;
    m_index = overlayIndex;
    setMountedState(isMounted());
    restartWatcher();
    if (!unmounted)
        return false;
    return m_error.isEmpty();
}

void MountController::clear()
{
    (void)unmountOwn(true);
    m_watcher->stop();
    m_workspace.reset();
    m_index = -1;
    setMountedState(false);
}

QString MountController::mergedDirectory() const
{
    if (!m_workspace)
        return {};
    return m_workspace->overlays().at(m_index).mountpoint;
}

void MountController::setBackend(Backend backend)
{
    if (backend == m_backend)
        return;
    // A mount made with the old backend is not what the user now asked for.
    (void)unmountOwn(false);
    m_backend = backend;
    restartWatcher();
    Q_EMIT backendChanged(backend);
}

Result<std::unique_ptr<StackSession>> MountController::openSession() const
{
    if (!m_workspace)
        return Error {EINVAL, QStringLiteral("no overlay is selected")};
    auto opened = m_policy.openSession(*m_workspace, m_index, m_backend);
    if (!opened)
        return opened.error();
    return std::move(opened.value().session);
}

bool MountController::isMounted() const
{
    return m_workspace && MountInfo::overlayAt(mergedDirectory()).has_value();
}

void MountController::setMountedState(bool mounted)
{
    if (mounted == m_lastMounted)
        return;
    m_lastMounted = mounted;
    Q_EMIT mountedChanged(mounted);
}

bool MountController::mount()
{
    if (!m_workspace)
        return fail(QStringLiteral("No overlay is selected."));
    const OverlaySpec &spec = m_workspace->overlays().at(m_index);
    const Backend b = effectiveBackend();
    const BackendPolicy::Info bi = m_policy.info(b);
    if (!bi.mountable)
        return fail(QStringLiteral("Cannot mount %1 with the %2: %3").arg(spec.name, bi.label, bi.mountProblem));
    if (isMounted()) {
        if (ownsMount())
            return true;
        say(QStringLiteral("%1 is already mounted on %2 by another program; Stratascope leaves that mount alone.")
                .arg(spec.name, spec.mountpoint));
        setMountedState(true);
        return true;
    }
    // Which of overlays 0..selected are up before: those are not ours to take down later.
    QList<bool> before;
    for (int i = 0; i <= m_index; ++i)
        before << MountInfo::overlayAt(m_workspace->overlays().at(i).mountpoint).has_value();

    MountRegistry registry;
    StackMounter mounter(*m_workspace);
    beginOwnEdit(); // mounting creates work/work: not an outside edit
    const StackMounter::Report report = mounter.mountAll(registry, ::getpid(), m_index, b);
    for (int i = 0; i <= m_index; ++i) {
        if (before.at(i))
            continue;
        const QString mp = m_workspace->overlays().at(i).mountpoint;
        if (const auto e = MountInfo::overlayAt(mp))
            m_mine << OwnMount {mp, e->isFuseOverlay()};
    }
    endOwnEdit();
    const QString details = (report.lines + report.warnings).join(QLatin1Char('\n'));
    if (!report.ok) {
        // mountAll took down what it mounted; anything left is ours to remove.
        (void)unmountOwn(true);
        setMountedState(isMounted());
        return fail(QStringLiteral("Mounting %1 failed.\n%2").arg(spec.name, details));
    }
    setMountedState(isMounted());
    say(QStringLiteral("Mounted %1 on %2 (%3).\n%4").arg(spec.name, spec.mountpoint, bi.label, details));
    return true;
}

bool MountController::unmount()
{
    if (!m_workspace)
        return fail(QStringLiteral("No overlay is selected."));
    if (!ownsMount()) {
        if (isMounted())
            return fail(
                QStringLiteral("%1 was not mounted by this window; Stratascope leaves it alone (`strata umount` "
                               "removes mounts made by `strata mount`).")
                    .arg(m_workspace->overlays().at(m_index).name));
        return true;
    }
    return unmountOwn(false);
}

bool MountController::unmountOwn(bool force)
{
    if (m_mine.isEmpty())
        return true;
    MountRegistry registry;
    QStringList done;
    QStringList failed;
    beginOwnEdit();
    while (!m_mine.isEmpty()) {
        const OwnMount m = m_mine.last();
        if (!MountInfo::overlayAt(m.mountPoint)) {
            // Gone already (someone ran umount): only the record is left.
            (void)registry.remove(m.mountPoint);
            m_mine.removeLast();
            continue;
        }
        Status s = m.fuse ? FuseMounter::unmount(m.mountPoint) : KernelMounter::unmount(m.mountPoint);
        if (!s.ok() && force) {
            const Status lazy = detach(m.mountPoint, m.fuse);
            if (lazy.ok()) {
                done << QStringLiteral("%1 was busy and is detached (it disappears when its last user is done)")
                            .arg(m.mountPoint);
                s = lazy;
            }
        } else if (s.ok()) {
            done << QStringLiteral("unmounted %1").arg(m.mountPoint);
        }
        if (!s.ok()) {
            QString line = s.error().message;
            if (s.error().code == EBUSY)
                line += QStringLiteral(" (a process still uses it, perhaps a terminal: see `fuser -vm %1`)")
                            .arg(m.mountPoint);
            failed << line;
            break; // the ones below hold this one up: keep them all
        }
        (void)registry.remove(m.mountPoint);
        m_mine.removeLast();
    }
    endOwnEdit();
    setMountedState(isMounted());
    if (!failed.isEmpty())
        return fail(QStringLiteral("Unmounting failed: %1").arg(failed.join(QLatin1Char('\n'))));
    if (!done.isEmpty())
        say(done.join(QLatin1Char('\n')));
    return true;
}

Result<QStringList> MountController::terminalLauncher()
{
    for (const char *var : {"STRATA_TERMINAL", "TERMINAL"}) {
        const QString value = qEnvironmentVariable(var).trimmed();
        if (value.isEmpty())
            continue;
        QStringList parts = QProcess::splitCommand(value);
        const QString program = parts.isEmpty() ? QString() : executable(parts.first());
        if (program.isEmpty())
            return Error {ENOENT,
                QStringLiteral("%1 names \"%2\", which is not a program that can be run")
                    .arg(QLatin1String(var), value)};
        parts.first() = program;
        return parts << QStringLiteral("-e");
    }
    const QList<QStringList> known {{QStringLiteral("x-terminal-emulator"), QStringLiteral("-e")},
        {QStringLiteral("xterm"), QStringLiteral("-e")},
        {QStringLiteral("gnome-terminal"), QStringLiteral("--")},
        {QStringLiteral("konsole"), QStringLiteral("-e")}};
    for (QStringList candidate : known) {
        const QString program = executable(candidate.first());
        if (program.isEmpty())
            continue;
        candidate.first() = program;
        return candidate;
    }
    return Error {ENOENT,
        QStringLiteral("No terminal program found (tried x-terminal-emulator, xterm, gnome-terminal, konsole): "
                       "install one, or set STRATA_TERMINAL to a terminal that runs `-e COMMAND ARGS...`.")};
}

QString MountController::strataExecutable()
{
    const QString fromEnv = qEnvironmentVariable("STRATA_CLI");
    if (!fromEnv.isEmpty())
        return executable(fromEnv);
    // The build and the install put strata next to stratascope.
    if (QCoreApplication::instance()) {
        const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/strata");
        if (QFileInfo(beside).isExecutable())
            return beside;
    }
    return QStandardPaths::findExecutable(QStringLiteral("strata"));
}

Result<QStringList> MountController::terminalCommand() const
{
    if (!m_workspace)
        return Error {EINVAL, QStringLiteral("No overlay is selected.")};
    auto launcher = terminalLauncher();
    if (!launcher)
        return launcher.error();
    QStringList cmd = *launcher;
    const OverlaySpec &spec = m_workspace->overlays().at(m_index);
    if (isMounted()) {
        // The directory goes in as $1: no quoting problems whatever its name.
        return cmd << QStringLiteral("sh") << QStringLiteral("-c")
                   << QStringLiteral("cd \"$1\" && exec \"${SHELL:-sh}\"") << QStringLiteral("sh") << spec.mountpoint;
    }
    // Not mounted here: `strata shell` mounts it in a private namespace of the terminal's own.
    Backend b = effectiveBackend();
    if (b == Backend::Engine) {
        // The engine needs no mount, but a shell does: take whatever mount works here.
        const BackendPolicy::Choice mount = m_policy.chooseMount(Backend::Auto);
        if (!mount.problem.isEmpty())
            return Error {EPERM,
                QStringLiteral("A terminal in the merged view needs a mount, and none is possible here: %1")
                    .arg(mount.problem)};
        b = mount.backend;
    }
    const BackendPolicy::Info bi = m_policy.info(b);
    if (!bi.usable)
        return Error {EPERM, QStringLiteral("Cannot open a terminal with the %1: %2").arg(bi.label, bi.problem)};
    if (m_workspace->filePath().isEmpty())
        return Error {ENOENT, QStringLiteral("Save the workspace first: the terminal's `strata shell` reads it.")};
    const QString strata = strataExecutable();
    if (strata.isEmpty())
        return Error {ENOENT,
            QStringLiteral("The strata program was not found next to this program or on PATH (set STRATA_CLI).")};
    return cmd << strata << QStringLiteral("shell") << m_workspace->filePath() << QStringLiteral("--overlay")
               << spec.name << QStringLiteral("--backend") << backendName(b);
}

bool MountController::openTerminal()
{
    auto cmd = terminalCommand();
    if (!cmd)
        return fail(cmd.error().message);
    const bool mounted = isMounted();
    const QString dir = mounted ? mergedDirectory() : m_workspace->baseDir();
    if (!QProcess::startDetached(cmd->first(), cmd->mid(1), dir))
        return fail(QStringLiteral("Could not start the terminal %1.").arg(cmd->first()));
    say(mounted ? QStringLiteral("Terminal opened in %1; edits there show up as outside edits.").arg(dir)
                : QStringLiteral("Terminal opened with %1 mounted privately (strata shell); edits there change the "
                                 "real upper directory and show up as outside edits.")
                      .arg(m_workspace->overlays().at(m_index).name));
    return true;
}

void MountController::beginOwnEdit()
{
    if (m_ownEditDepth++ == 0)
        m_watcher->pause();
}

void MountController::endOwnEdit()
{
    if (m_ownEditDepth == 0)
        return;
    if (--m_ownEditDepth == 0)
        m_watcher->resume();
}

void MountController::endOwnEdit(const QList<OverlayEvent> &own)
{
    if (m_ownEditDepth == 0)
        return;
    if (--m_ownEditDepth == 0)
        m_watcher->resume(own);
}

bool MountController::isWatchStarting() const
{
    return m_watcher->isStarting();
}

bool MountController::isWatching() const
{
    return m_watcher->isWatching();
}

void MountController::setWatchSettleTime(int ms)
{
    m_watcher->setSettleTime(ms);
}

void MountController::restartWatcher()
{
    m_watcher->stop();
    if (!m_workspace || !m_workspace->overlays().at(m_index).hasUpper())
        return;
    // A watch per directory and a picture of the lower layers take a while on a big stack.
    m_watcher->startInBackground(*m_workspace, m_index, effectiveBackend() == Backend::Userns);
    if (m_ownEditDepth > 0)
        m_watcher->pause();
}

} // namespace strata
