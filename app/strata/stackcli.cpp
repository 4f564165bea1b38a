// SPDX-License-Identifier: GPL-2.0-or-later
#include "stackcli.h"

#include "app/strata/argparser.h"
#include "core/events/mergedoperation.h"
#include "core/events/watcher.h"
#include "core/mount/mountinfo.h"
#include "core/mount/stackmounter.h"
#include "core/session/enginesession.h"
#include "core/session/kernelsession.h"

#include "core/stack/mountcommand.h"
#include "core/stack/workspace.h"
#include <QCoreApplication>
#include <QTimer>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace strata
{

namespace
{
enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

const QString BackendUsage = QStringLiteral("--backend must be auto, kernel, userns or fuse");

volatile sig_atomic_t g_stop = 0;
void onSignal(int)
{
    g_stop = 1;
}
} // namespace

StackCli::StackCli(QIODevice &out, QIODevice &err) : m_out(out), m_err(err)
{
}

void StackCli::print(const QString &text)
{
    m_out.write(text.toUtf8());
}

void StackCli::warn(const QString &text)
{
    m_err.write(QStringLiteral("strata: warning: %1\n").arg(text).toUtf8());
}

int StackCli::usageError(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\nTry 'strata --help'.\n").arg(message).toUtf8());
    return Usage;
}

int StackCli::failure(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\n").arg(message).toUtf8());
    return Failure;
}

int StackCli::mount(const QStringList &args)
{
    ArgParser p({QStringLiteral("hold")}, {QStringLiteral("backend")});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 1)
        return usageError(QStringLiteral("usage: strata mount WS [--backend auto|kernel|userns|fuse] [--hold]"));
    const auto requested = parseBackend(p.value(QStringLiteral("backend"), QStringLiteral("auto")));
    if (!requested)
        return usageError(BackendUsage);
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    for (const QString &w : ws->warnings())
        warn(w);
    const StackMounter::Choice choice = StackMounter::choose(*requested);
    if (!choice.problem.isEmpty())
        return failure(choice.problem);
    print(QStringLiteral("backend: %1 (%2)\n").arg(backendName(choice.backend), choice.reason));
    StackMounter mounter(*ws);
    if (choice.backend == MountBackend::Userns) {
        // Mounts in a user namespace exist only inside it: try them there and report.
        QStringList notes;
        for (int i = 0; i < ws->overlays().size(); ++i)
            (void)mounter.request(i, MountBackend::Userns, &notes);
        for (const QString &n : notes)
            warn(n);
        auto rc = mounter.runInNamespace(
            MountBackend::Userns, static_cast<int>(ws->overlays().size()) - 1, [] { return 0; });
        if (!rc)
            return failure(rc.error().message);
        print(QStringLiteral("the kernel accepts this stack in a user namespace. Such mounts are visible only inside "
                             "their namespace: use `strata shell %1` to work in it, or `strata op` for one edit.\n")
                  .arg(ws->filePath()));
        return Success;
    }
    MountRegistry registry;
    const qint64 owner = p.isSet(QStringLiteral("hold")) ? ::getpid() : 0;
    const StackMounter::Report report = mounter.mountAll(registry, owner, -1, choice.backend);
    for (const QString &w : report.warnings)
        warn(w);
    for (const QString &l : report.lines)
        print(l + QLatin1Char('\n'));
    if (!report.ok)
        return Failure;
    if (!p.isSet(QStringLiteral("hold")))
        return Success;
    // Hold: keep the stack mounted until asked to stop, then take it down.
    print(QStringLiteral("holding the mounts until SIGINT or SIGTERM (pid %1)\n").arg(::getpid()));
    m_out.waitForBytesWritten(-1);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    while (!g_stop)
        ::pause();
    const StackMounter::Report down = mounter.unmountAll(registry);
    for (const QString &l : down.lines)
        print(l + QLatin1Char('\n'));
    return down.ok ? Success : Failure;
}

int StackCli::umount(const QStringList &args)
{
    ArgParser p({QStringLiteral("stale")}, {});
    if (!p.parse(args))
        return usageError(p.error());
    MountRegistry registry;
    if (p.isSet(QStringLiteral("stale"))) {
        if (!p.positionals().isEmpty())
            return usageError(QStringLiteral("usage: strata umount --stale"));
        auto stale = registry.stale();
        if (!stale)
            return failure(stale.error().message);
        bool ok = true;
        for (const MountRegistry::Record &r : *stale) {
            const Status s = KernelMounter::unmount(r.mountPoint);
            if (s.ok()) {
                (void)registry.remove(r.mountPoint);
                print(QStringLiteral("unmounted stale %1 (overlay %2 of %3, left by process %4)\n")
                          .arg(r.mountPoint, r.overlay, r.workspace)
                          .arg(r.pid));
            } else {
                ok = false;
                m_err.write(QStringLiteral("strata: %1\n").arg(s.error().message).toUtf8());
            }
        }
        if (stale->isEmpty())
            print(QStringLiteral("no stale mounts\n"));
        return ok ? Success : Failure;
    }
    if (p.positionals().size() != 1)
        return usageError(QStringLiteral("usage: strata umount WS | strata umount --stale"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    StackMounter mounter(*ws);
    const StackMounter::Report report = mounter.unmountAll(registry);
    for (const QString &l : report.lines)
        print(l + QLatin1Char('\n'));
    if (report.lines.isEmpty())
        print(QStringLiteral("nothing of %1 is mounted\n").arg(ws->filePath()));
    return report.ok ? Success : Failure;
}

int StackCli::status(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 1)
        return usageError(QStringLiteral("usage: strata status WS [--json]"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    MountRegistry registry;
    const auto records = registry.records();
    QJsonArray arr;
    for (const OverlaySpec &spec : ws->overlays()) {
        const auto m = MountInfo::overlayAt(spec.mountpoint);
        QString backend;
        if (m) {
            backend = QStringLiteral("kernel (mounted outside Stratascope)");
            if (records) {
                for (const auto &r : *records) {
                    if (r.mountPoint == spec.mountpoint && r.mountNamespace == MountRegistry::currentMountNamespace())
                        backend = r.backend;
                }
            }
        }
        const QString command
            = backend == QLatin1String("fuse") ? MountCommand::fuseCommand(spec) : MountCommand::shellCommand(spec);
        QJsonObject o {{QStringLiteral("overlay"), spec.name},
            {QStringLiteral("mountpoint"), spec.mountpoint},
            {QStringLiteral("mounted"), m.has_value()},
            {QStringLiteral("backend"), m ? QJsonValue(backend) : QJsonValue()},
            {QStringLiteral("mount_command"), command},
            {QStringLiteral("kernel_options"), m ? QJsonValue(m->superOptions) : QJsonValue()}};
        arr.append(o);
        if (!p.isSet(QStringLiteral("json"))) {
            print(QStringLiteral("%1: %2\n  command: %3\n")
                      .arg(spec.name,
                          m ? QStringLiteral("mounted on %1 (%2)").arg(spec.mountpoint, backend)
                            : QStringLiteral("not mounted (%1)").arg(spec.mountpoint),
                          command));
            if (m)
                print(QStringLiteral("  kernel reports: %1\n").arg(m->superOptions));
        }
    }
    if (p.isSet(QStringLiteral("json")))
        print(QString::fromUtf8(QJsonDocument(
            QJsonObject {{QStringLiteral("workspace"), ws->filePath()}, {QStringLiteral("overlays"), arr}})
                                    .toJson(QJsonDocument::Indented)));
    return Success;
}

int StackCli::mounts(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return usageError(p.error());
    auto mounts = MountInfo::read();
    if (!mounts)
        return failure(mounts.error().message);
    QJsonArray arr;
    for (const MountInfo::Entry &m : *mounts) {
        if (!m.isOverlay())
            continue;
        // Docker mounts with relative l/<short> lowers from inside its overlay2 directory: the
        // base is two levels above the upper directory (<overlay2>/<id>/diff).
        const QString base = m.upperDir.isEmpty() ? QString() : QFileInfo(QFileInfo(m.upperDir).path()).path();
        QJsonArray lowers;
        QStringList lowerText;
        for (const QString &l : m.lowerDirs) {
            const QString abs = QDir::isAbsolutePath(l) || base.isEmpty() ? l : QDir(base).filePath(l);
            const QFileInfo fi(abs);
            QJsonObject lo {{QStringLiteral("path"), l}};
            if (fi.isSymLink())
                lo.insert(QStringLiteral("target"), fi.canonicalFilePath());
            else if (abs != l)
                lo.insert(QStringLiteral("target"), abs);
            lowers.append(lo);
            lowerText << (lo.contains(QStringLiteral("target"))
                    ? QStringLiteral("%1 -> %2").arg(l, lo.value(QStringLiteral("target")).toString())
                    : l);
        }
        QString container;
        const QString mountId = QFileInfo(QFileInfo(m.upperDir).path()).fileName();
        if (m.upperDir.contains(QLatin1String("/overlay2/"))) {
            // /var/lib/docker/image/overlay2/layerdb/mounts/<container>/mount-id names the owner.
            const QString root = QFileInfo(base).path();
            QDir mountsDir(root + QStringLiteral("/image/overlay2/layerdb/mounts"));
            for (const QString &ctr : mountsDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile f(mountsDir.filePath(ctr + QStringLiteral("/mount-id")));
                if (f.open(QIODevice::ReadOnly) && QString::fromUtf8(f.readAll()).trimmed() == mountId)
                    container = ctr;
            }
        }
        QJsonObject o {{QStringLiteral("mountpoint"), m.mountPoint},
            {QStringLiteral("lower"), lowers},
            {QStringLiteral("upper"), m.upperDir.isEmpty() ? QJsonValue() : QJsonValue(m.upperDir)},
            {QStringLiteral("work"), m.workDir.isEmpty() ? QJsonValue() : QJsonValue(m.workDir)},
            {QStringLiteral("options"), QJsonArray::fromStringList(m.otherOptions)},
            {QStringLiteral("container"), container.isEmpty() ? QJsonValue() : QJsonValue(container)}};
        arr.append(o);
        if (!p.isSet(QStringLiteral("json"))) {
            print(QStringLiteral("%1\n  lower: %2\n  upper: %3\n  work:  %4\n  options: %5\n%6")
                      .arg(m.mountPoint,
                          lowerText.join(QStringLiteral("\n         ")),
                          m.upperDir,
                          m.workDir,
                          m.otherOptions.join(QLatin1Char(',')),
                          container.isEmpty() ? QString() : QStringLiteral("  docker container: %1\n").arg(container)));
        }
    }
    if (p.isSet(QStringLiteral("json")))
        print(QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Indented)));
    return Success;
}

int StackCli::op(const QStringList &args)
{
    ArgParser p(
        {QStringLiteral("json"), QStringLiteral("engine")}, {QStringLiteral("overlay"), QStringLiteral("backend")});
    p.setStopAtPositional(2); // WS VERB: what follows belongs to the verb
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() < 2)
        return usageError(
            QStringLiteral("usage: strata op WS [--overlay NAME] [--backend B] [--engine] VERB ARGS... [--json]; "
                           "verbs: %1")
                .arg(MergedOperation::verbs().join(QStringLiteral(", "))));
    auto operation = MergedOperation::parse(p.positionals().mid(1));
    if (!operation)
        return usageError(operation.error().message);
    const auto requested = parseBackend(p.value(QStringLiteral("backend"), QStringLiteral("auto")));
    if (!requested)
        return usageError(BackendUsage);
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    const auto found = ws->overlayIndex(p.value(QStringLiteral("overlay")));
    if (!found)
        return failure(found.error().message);
    const int index = *found;
    const OverlaySpec &spec = ws->overlays().at(index);
    std::unique_ptr<StackSession> session;
    if (p.isSet(QStringLiteral("engine"))) {
        auto engine = EngineSession::open(*ws, index);
        if (!engine)
            return failure(engine.error().message);
        session = std::make_unique<EngineSession>(std::move(engine.value()));
    } else {
        auto kernel = KernelSession::open(*ws, index, *requested);
        if (!kernel)
            return failure(kernel.error().message);
        session = std::make_unique<KernelSession>(std::move(kernel.value()));
    }
    auto outcome = session->apply(*operation);
    if (!outcome)
        return failure(outcome.error().message);
    const int err = outcome->error;
    const QString &command = outcome->command;
    const QList<OverlayEvent> &events = outcome->events;
    const QString how = session->describe();
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const OverlayEvent &e : events)
            arr.append(e.toJson());
        QJsonObject o {{QStringLiteral("overlay"), spec.name},
            {QStringLiteral("verb"), operation->verb()},
            {QStringLiteral("command"), command},
            {QStringLiteral("errno"), err},
            {QStringLiteral("error"),
                err ? QJsonValue(MergedOperation::explainError(operation->verb(), err)) : QJsonValue()},
            {QStringLiteral("events"), arr}};
        print(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)));
    } else {
        print(QStringLiteral("$ %1   (%2)\n").arg(command, how));
        for (const OverlayEvent &e : events)
            print(e.toText() + QLatin1Char('\n'));
        if (events.isEmpty() && err == 0)
            print(QStringLiteral("(the upper layer did not change)\n"));
    }
    if (err)
        return failure(MergedOperation::explainError(operation->verb(), err));
    return Success;
}

int StackCli::shell(const QStringList &args)
{
    ArgParser p({}, {QStringLiteral("backend"), QStringLiteral("overlay")});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 1)
        return usageError(
            QStringLiteral("usage: strata shell WS [--overlay NAME] [--backend auto|kernel|userns|fuse] [-- CMD...]"));
    const auto requested = parseBackend(p.value(QStringLiteral("backend"), QStringLiteral("auto")));
    if (!requested)
        return usageError(BackendUsage);
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    // --overlay: that overlay (and the ones below it) mounted, the shell in its merged directory.
    int upTo = static_cast<int>(ws->overlays().size()) - 1;
    QString startDir = ws->baseDir();
    if (p.isSet(QStringLiteral("overlay"))) {
        const auto found = ws->overlayIndex(p.value(QStringLiteral("overlay")));
        if (!found)
            return failure(found.error().message);
        upTo = *found;
        startDir = ws->overlays().at(upTo).mountpoint;
    }
    const StackMounter::Choice choice = StackMounter::choose(*requested);
    if (!choice.problem.isEmpty())
        return failure(choice.problem);
    QStringList command = p.rest();
    const bool interactive = command.isEmpty();
    if (interactive)
        command << qEnvironmentVariable("SHELL", QStringLiteral("/bin/sh"));
    std::vector<QByteArray> argvData;
    for (const QString &c : command)
        argvData.push_back(QFile::encodeName(c));
    const QByteArray cwd = QFile::encodeName(startDir);
    if (interactive) {
        m_err.write(QStringLiteral("strata: a shell with %1 mounted (%2 backend); the mounts vanish when it exits\n")
                        .arg(ws->filePath(), backendName(choice.backend))
                        .toUtf8());
    }
    StackMounter mounter(*ws);
    auto rc = mounter.runInNamespace(choice.backend, upTo, [&argvData, &cwd] {
        std::vector<char *> argv;
        for (QByteArray &a : argvData)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        if (::chdir(cwd.constData()) != 0)
            return 127;
        ::setenv("STRATASCOPE_SHELL", "1", 1);
        ::execvp(argv[0], argv.data());
        return 127;
    });
    if (!rc)
        return failure(rc.error().message);
    return *rc;
}

int StackCli::events(const QStringList &args)
{
    ArgParser p({QStringLiteral("follow")}, {QStringLiteral("overlay"), QStringLiteral("timeout")});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 1 || !p.isSet(QStringLiteral("follow")))
        return usageError(QStringLiteral("usage: strata events WS --follow [--overlay NAME] [--timeout SECONDS]"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    const auto found = ws->overlayIndex(p.value(QStringLiteral("overlay")));
    if (!found)
        return failure(found.error().message);
    const int index = *found;
    Watcher watcher;
    const Status started = watcher.start(*ws, index);
    if (!started.ok())
        return failure(started.error().message);
    QObject::connect(&watcher, &Watcher::changed, &watcher, [this](const QList<OverlayEvent> &events) {
        for (const OverlayEvent &e : events)
            m_out.write(QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n');
    });
    QObject::connect(&watcher, &Watcher::lowerChanged, &watcher, [this](const QString &path) {
        const QJsonObject o {{QStringLiteral("kind"), QStringLiteral("lower_changed")},
            {QStringLiteral("path"), path},
            {QStringLiteral("explanation"),
                QStringLiteral("A lower layer changed. Changing lower layers under a mounted overlay is undefined "
                               "behaviour; the kernel may show old or mixed contents until it is remounted.")}};
        m_out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
    });
    // One line first, so scripts know the watch is in place.
    m_out.write(QJsonDocument(QJsonObject {{QStringLiteral("kind"), QStringLiteral("watching")},
                                  {QStringLiteral("overlay"), ws->overlays().at(index).name}})
                    .toJson(QJsonDocument::Compact)
        + '\n');
    if (p.isSet(QStringLiteral("timeout")))
        QTimer::singleShot(p.value(QStringLiteral("timeout")).toInt() * 1000, qApp, &QCoreApplication::quit);
    QCoreApplication::exec();
    return Success;
}

} // namespace strata
