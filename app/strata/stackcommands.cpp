// SPDX-License-Identifier: GPL-2.0-or-later
#include "stackcommands.h"

#include "app/strata/argparser.h"
#include "core/events/mergedoperation.h"
#include "core/events/watcher.h"
#include "core/image/docker/dockermountowner.h"
#include "core/merge/mergedtree.h"
#include "core/merge/treewriter.h"
#include "core/mount/mountinfo.h"
#include "core/mount/mountregistry.h"
#include "core/mount/stackmounter.h"
#include "core/session/stalemounts.h"
#include "core/stack/scenario.h"
#include "core/stack/workspace.h"
#include "core/util/filename.h"
#include "core/util/jsonwriter.h"
#include "core/util/number.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <csignal>
#include <limits>
#include <unistd.h>

namespace strata
{

namespace
{

constexpr qint64 MaxTimeoutSeconds = std::numeric_limits<int>::max() / 1000;

const QString LowerChangedText
    = QStringLiteral("A lower layer changed. Changing lower layers under a mounted overlay is undefined behaviour; "
                     "the kernel may show old or mixed contents until it is remounted.");

volatile sig_atomic_t g_stop = 0;
void onSignal(int)
{
    g_stop = 1;
}

// `strata shell`: SIGTERM, SIGINT and SIGHUP go on to the command, which decides.
constexpr int ForwardedSignals[] = {SIGTERM, SIGINT, SIGHUP};
volatile sig_atomic_t g_child = 0;
void forwardSignal(int sig)
{
    if (g_child > 0)
        ::kill(g_child, sig);
}
sigset_t forwardedSet()
{
    sigset_t set;
    sigemptyset(&set);
    for (const int sig : ForwardedSignals)
        sigaddset(&set, sig);
    return set;
}

// Docker mounts with relative l/<short> lowers from inside its overlay2 directory: the base
// is two levels above the upper directory (<overlay2>/<id>/diff).
struct Lower {
    QString path;
    QString target; ///< where it leads, when that is another path
};
QList<Lower> resolvedLowers(const MountInfo::Entry &m)
{
    const QString base = m.upperDir.isEmpty() ? QString() : QFileInfo(QFileInfo(m.upperDir).path()).path();
    QList<Lower> lowers;
    for (const QString &l : m.lowerDirs) {
        const QString abs = QDir::isAbsolutePath(l) || base.isEmpty() ? l : QDir(base).filePath(l);
        const QFileInfo fi(abs);
        lowers << Lower {l, fi.isSymLink() ? fi.canonicalFilePath() : (abs != l ? abs : QString())};
    }
    return lowers;
}

} // namespace

const StackCommands::Entry StackCommands::Table[] = {
    {"scenario", &StackCommands::scenario},
    {"tree", &StackCommands::tree},
    {"mount", &StackCommands::mount},
    {"umount", &StackCommands::umount},
    {"status", &StackCommands::status},
    {"mounts", &StackCommands::mounts},
    {"op", &StackCommands::op},
    {"shell", &StackCommands::shell},
    {"events", &StackCommands::events},
};

StackCommands::StackCommands(Console &console) : m_console(console)
{
}

QStringList StackCommands::commands() const
{
    QStringList names;
    for (const Entry &e : Table)
        names << QString::fromLatin1(e.name);
    return names;
}

QString StackCommands::help(const QString &) const
{
    return {};
}

int StackCommands::run(const QString &command, const QStringList &args)
{
    for (const Entry &e : Table) {
        if (command == QLatin1String(e.name))
            return (this->*e.command)(args);
    }
    return m_console.usageError(QStringLiteral("unknown command \"%1\"").arg(command));
}

QString StackCommands::synopsis() const
{
    QString scenarios;
    for (const QString &n : Scenario::names())
        scenarios += QStringLiteral("    %1  %2\n").arg(n, -12).arg(Scenario::description(n));
    return QStringLiteral("Stacks (WS is a workspace file, stratascope.json, or a directory that holds one):\n"
                          "  scenario NAME DIR            create a built-in scenario and its workspace file in DIR\n"
                          "  tree WS [--overlay NAME] [--path PATH] [--visible] [--json]\n"
                          "                               the merged view computed from the layer directories,\n"
                          "                               with provenance (which layer provides each entry,\n"
                          "                               which lower copies it shadows, what whiteouts hide)\n"
                          "  mount WS [--backend auto|kernel|userns|fuse] [--hold]\n"
                          "                               mount every overlay of a workspace, in order\n"
                          "  umount WS | umount --stale   unmount a workspace, or mounts left behind by a crash\n"
                          "  status WS [--json]           mounted or not, backend, mount command, kernel's options\n"
                          "  mounts [--json]              every overlay mount on this host, l/ links resolved\n"
                          "  op WS [--overlay NAME] [--backend B] VERB ARGS... [--json]\n"
                          "                               one edit in the merged view, and what the kernel did\n"
                          "                               (verbs: write, append, touch, truncate, mkdir, rm, rmdir,\n"
                          "                               rm-r, mv, chmod, ln-s, ln, chown, utimes, setxattr,\n"
                          "                               rmxattr); B: auto, engine, kernel, userns, fuse\n"
                          "                               (--engine: the userspace engine, no mount; auto falls\n"
                          "                               back to it, and says why, when nothing mounts here)\n"
                          "  shell WS [--overlay NAME] [--backend B] [-- CMD...]\n"
                          "                               a shell (or CMD) in a private mount namespace with the\n"
                          "                               workspace mounted; a user namespace for normal users;\n"
                          "                               --overlay: up to NAME, starting in its merged directory\n"
                          "  events WS --follow [--overlay NAME] [--timeout SECONDS]\n"
                          "                               JSON lines for changes made by anyone, as they happen\n"
                          "                               (--timeout: stop after that many seconds)\n"
                          "Scenarios:\n")
        + scenarios;
}

std::optional<StackCommands::OverlayTarget> StackCommands::overlayTarget(const ArgParser &p)
{
    auto ws = Workspace::load(p.positionals().first());
    if (!ws) {
        (void)m_console.failure(ws.error().message);
        return std::nullopt;
    }
    const auto index = ws->overlayIndex(p.value(QStringLiteral("overlay")));
    if (!index) {
        (void)m_console.failure(index.error().message);
        return std::nullopt;
    }
    return OverlayTarget {std::move(ws.value()), *index};
}

int StackCommands::scenario(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    const QString names = Scenario::names().join(QStringLiteral(", "));
    if (p.positionals().size() != 2)
        return m_console.usageError(QStringLiteral("usage: strata scenario NAME DIR (NAME is one of %1)").arg(names));
    const QString &name = p.positionals().at(0);
    if (!Scenario::names().contains(name))
        return m_console.usageError(QStringLiteral("unknown scenario \"%1\"; choose one of %2").arg(name, names));
    auto ws = Scenario::create(name, p.positionals().at(1));
    if (!ws)
        return m_console.failure(ws.error().message);
    m_console.print(
        QStringLiteral("created scenario \"%1\" in %2\nworkspace: %3\n").arg(name, ws->baseDir(), ws->filePath()));
    return Console::Success;
}

int StackCommands::tree(const QStringList &args)
{
    ArgParser p(
        {QStringLiteral("json"), QStringLiteral("visible")}, {QStringLiteral("overlay"), QStringLiteral("path")});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    if (p.positionals().size() != 1)
        return m_console.usageError(
            QStringLiteral("usage: strata tree WS [--overlay NAME] [--path PATH] [--visible] [--json]"));
    auto target = overlayTarget(p);
    if (!target)
        return Console::Failure;
    const Workspace &ws = target->workspace;
    const int index = target->index;
    m_console.warn(ws.warnings());
    const OverlaySpec &spec = ws.overlays().at(index);
    auto layers = ws.mergeLayers(index);
    if (!layers)
        return m_console.failure(layers.error().message);
    auto tree = MergedTree::build(*layers, spec.options.mergeOptions());
    if (!tree)
        return m_console.failure(QStringLiteral("overlay \"%1\": %2").arg(spec.name, tree.error().message));
    const bool json = p.isSet(QStringLiteral("json"));
    if (!json)
        m_console.warn(tree->warnings()); // JSON has them in "warnings"

    NodeId start = MergedTree::root();
    if (p.isSet(QStringLiteral("path"))) {
        const QString path = p.value(QStringLiteral("path"));
        const QByteArray wanted = encodeFileName(path);
        const auto found = tree->find(std::string_view(wanted.constData(), static_cast<size_t>(wanted.size())));
        if (!found)
            return m_console.failure(QStringLiteral("%1: not in the merged view of \"%2\"").arg(path, spec.name));
        start = *found;
    }
    TreeWriter::Options options;
    options.json = json;
    options.includeWhiteouts = !p.isSet(QStringLiteral("visible"));
    options.overlayName = spec.name;
    options.workspaceFile = ws.filePath();
    TreeWriter writer(*tree, options);
    if (!writer.write(m_console.out(), start))
        return m_console.failure(QStringLiteral("cannot write the output"));
    return Console::Success;
}

StackCommands::MountTarget StackCommands::mountTarget(ArgParser &p, const QStringList &args, const QString &usage)
{
    MountTarget t;
    if (!p.parse(args)) {
        t.exit = m_console.usageError(p.error());
        return t;
    }
    if (p.positionals().size() != 1) {
        t.exit = m_console.usageError(usage);
        return t;
    }
    const auto requested = parseBackend(p.value(QStringLiteral("backend"), QStringLiteral("auto")));
    if (!requested || *requested == Backend::Engine) {
        t.exit = m_console.usageError(QStringLiteral("--backend must be auto, kernel, userns or fuse"));
        return t;
    }
    auto ws = Workspace::load(p.positionals().first());
    if (!ws) {
        t.exit = m_console.failure(ws.error().message);
        return t;
    }
    t.choice = m_policy.chooseMount(*requested);
    if (!t.choice.problem.isEmpty()) {
        t.exit = m_console.failure(t.choice.problem);
        return t;
    }
    t.workspace = std::move(ws.value());
    return t;
}

int StackCommands::mount(const QStringList &args)
{
    ArgParser p({QStringLiteral("hold")}, {QStringLiteral("backend")});
    const MountTarget t
        = mountTarget(p, args, QStringLiteral("usage: strata mount WS [--backend auto|kernel|userns|fuse] [--hold]"));
    if (!t.workspace)
        return t.exit;
    const Workspace &ws = *t.workspace;
    const BackendPolicy::Choice &choice = t.choice;
    m_console.warn(ws.warnings());
    m_console.print(QStringLiteral("backend: %1 (%2)\n").arg(backendName(choice.backend), choice.reason));
    if (choice.backend == Backend::Userns)
        return tryUsernsMount(ws);
    StackMounter mounter(ws);
    MountRegistry registry;
    const bool hold = p.isSet(QStringLiteral("hold"));
    const StackMounter::Report report = mounter.mountAll(registry, hold ? ::getpid() : 0, -1, choice.backend);
    m_console.warn(report.warnings);
    for (const QString &l : report.lines)
        m_console.print(l + QLatin1Char('\n'));
    if (!report.ok)
        return Console::Failure;
    return hold ? holdMounts(mounter, registry) : Console::Success;
}

int StackCommands::tryUsernsMount(const Workspace &workspace)
{
    // Mounts in a user namespace exist only inside it: try them there and report.
    StackMounter mounter(workspace);
    QStringList notes;
    for (int i = 0; i < workspace.overlays().size(); ++i)
        (void)mounter.request(i, Backend::Userns, &notes);
    m_console.warn(notes);
    auto rc
        = mounter.runInNamespace(Backend::Userns, static_cast<int>(workspace.overlays().size()) - 1, [] { return 0; });
    if (!rc)
        return m_console.failure(rc.error().message);
    m_console.print(
        QStringLiteral("the kernel accepts this stack in a user namespace. Such mounts are visible only inside "
                       "their namespace: use `strata shell %1` to work in it, or `strata op` for one edit.\n")
            .arg(workspace.filePath()));
    return Console::Success;
}

int StackCommands::holdMounts(StackMounter &mounter, MountRegistry &registry)
{
    m_console.print(QStringLiteral("holding the mounts until SIGINT or SIGTERM (pid %1)\n").arg(::getpid()));
    m_console.out().waitForBytesWritten(-1);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    while (!g_stop)
        ::pause();
    const StackMounter::Report down = mounter.unmountAll(registry);
    for (const QString &l : down.lines)
        m_console.print(l + QLatin1Char('\n'));
    return down.ok ? Console::Success : Console::Failure;
}

int StackCommands::umount(const QStringList &args)
{
    ArgParser p({QStringLiteral("stale")}, {});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    if (p.isSet(QStringLiteral("stale"))) {
        if (!p.positionals().isEmpty())
            return m_console.usageError(QStringLiteral("usage: strata umount --stale"));
        return umountStale();
    }
    if (p.positionals().size() != 1)
        return m_console.usageError(QStringLiteral("usage: strata umount WS | strata umount --stale"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return m_console.failure(ws.error().message);
    MountRegistry registry;
    StackMounter mounter(*ws);
    const StackMounter::Report report = mounter.unmountAll(registry);
    m_console.warn(report.warnings);
    for (const QString &l : report.lines)
        m_console.print(l + QLatin1Char('\n'));
    if (report.lines.isEmpty())
        m_console.print(QStringLiteral("nothing of %1 is mounted\n").arg(ws->filePath()));
    return report.ok ? Console::Success : Console::Failure;
}

int StackCommands::umountStale()
{
    auto stale = StaleMounts::list();
    if (!stale)
        return m_console.failure(stale.error().message);
    bool ok = true;
    for (const StaleMounts::Mount &m : *stale) {
        const Status s = StaleMounts::remove(m);
        if (s.ok()) {
            m_console.print(QStringLiteral("unmounted stale %1 (overlay %2 of %3, left by process %4)\n")
                                .arg(m.mountPoint, m.overlay, m.workspace)
                                .arg(m.pid));
        } else {
            ok = false;
            m_console.note(s.error().message);
        }
    }
    if (stale->isEmpty())
        m_console.print(QStringLiteral("no stale mounts\n"));
    return ok ? Console::Success : Console::Failure;
}

int StackCommands::status(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    if (p.positionals().size() != 1)
        return m_console.usageError(QStringLiteral("usage: strata status WS [--json]"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return m_console.failure(ws.error().message);
    const bool json = p.isSet(QStringLiteral("json"));
    const auto mounts = MountInfo::read();
    const auto records = MountRegistry().records();
    const QString ns = MountRegistry::currentMountNamespace();
    const StackMounter mounter(*ws);
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Indented);
    w.beginObject().path("workspace", ws->filePath()).key("overlays").beginArray();
    for (int i = 0; i < ws->overlays().size(); ++i) {
        const OverlaySpec &spec = ws->overlays().at(i);
        // Only a mount of this overlay's layers (or one we recorded) is "mounted".
        const StackMounter::Occupant there = mounter.occupant(
            i, mounts ? *mounts : QList<MountInfo::Entry>(), records ? *records : QList<MountRegistry::Record>(), ns);
        const auto m = there.ours() ? there.entry : std::nullopt;
        const QString backend = there.ours() ? there.backend : QString();
        // The command of what mounted it (not mounted: the kernel's).
        const QString command
            = m_policy.mountCommand(*ws, i, m ? parseBackend(backend).value_or(Backend::Kernel) : Backend::Kernel);
        w.beginObject().field("overlay", spec.name).path("mountpoint", spec.mountpoint).field("mounted", m.has_value());
        w.fieldOrNull("backend", backend).field("mount_command", command);
        w.fieldOrNull("kernel_options", m ? m->superOptions : QString());
        w.fieldOrNull("other_mount", there.foreignText()).endObject();
        if (json)
            continue;
        m_console.print(QStringLiteral("%1: %2\n  command: %3\n")
                            .arg(spec.name,
                                m ? QStringLiteral("mounted on %1 (%2)").arg(spec.mountpoint, backend)
                                  : QStringLiteral("not mounted (%1)").arg(spec.mountpoint),
                                command));
        if (m)
            m_console.print(QStringLiteral("  kernel reports: %1\n").arg(m->superOptions));
        if (!there.foreignText().isEmpty())
            m_console.print(QStringLiteral("  note: %1\n").arg(there.foreignText()));
    }
    w.endArray().endObject();
    if (json)
        m_console.write(out + '\n');
    return Console::Success;
}

int StackCommands::mounts(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    auto mounts = MountInfo::read();
    if (!mounts)
        return m_console.failure(mounts.error().message);
    const bool json = p.isSet(QStringLiteral("json"));
    std::string out;
    JsonWriter w(out, JsonWriter::Style::Indented);
    w.beginArray();
    for (const MountInfo::Entry &m : *mounts) {
        if (!m.isOverlay())
            continue;
        const QString container = DockerMountOwner::containerOf(m.upperDir);
        w.beginObject().path("mountpoint", m.mountPoint).key("lower").beginArray();
        QStringList lowerText;
        for (const Lower &l : resolvedLowers(m)) {
            w.beginObject().path("path", l.path);
            if (!l.target.isEmpty())
                w.path("target", l.target);
            w.endObject();
            lowerText << (l.target.isEmpty() ? l.path : QStringLiteral("%1 -> %2").arg(l.path, l.target));
        }
        w.endArray().pathOrNull("upper", m.upperDir).pathOrNull("work", m.workDir);
        w.field("options", m.otherOptions).fieldOrNull("container", container).endObject();
        if (json)
            continue;
        m_console.print(
            QStringLiteral("%1\n  lower: %2\n  upper: %3\n  work:  %4\n  options: %5\n%6")
                .arg(m.mountPoint,
                    lowerText.join(QStringLiteral("\n         ")),
                    m.upperDir,
                    m.workDir,
                    m.otherOptions.join(QLatin1Char(',')),
                    container.isEmpty() ? QString() : QStringLiteral("  docker container: %1\n").arg(container)));
    }
    w.endArray();
    if (json)
        m_console.write(out + '\n');
    return Console::Success;
}

int StackCommands::op(const QStringList &args)
{
    ArgParser p(
        {QStringLiteral("json"), QStringLiteral("engine")}, {QStringLiteral("overlay"), QStringLiteral("backend")});
    p.setStopAtPositional(2); // WS VERB: what follows belongs to the verb
    if (!p.parse(args))
        return m_console.usageError(p.error());
    if (p.positionals().size() < 2)
        return m_console.usageError(
            QStringLiteral("usage: strata op WS [--overlay NAME] [--backend B] [--engine] VERB ARGS... [--json]; "
                           "verbs: %1")
                .arg(MergedOperation::verbs().join(QStringLiteral(", "))));
    auto operation = MergedOperation::parse(p.positionals().mid(1));
    if (!operation)
        return m_console.usageError(operation.error().message);
    // --engine is --backend engine.
    const QString backendText = p.value(QStringLiteral("backend"),
        p.isSet(QStringLiteral("engine")) ? backendName(Backend::Engine) : backendName(Backend::Auto));
    const auto requested = parseBackend(backendText);
    if (!requested)
        return m_console.usageError(QStringLiteral("--backend must be auto, engine, kernel, userns or fuse"));
    if (p.isSet(QStringLiteral("engine")) && *requested != Backend::Engine)
        return m_console.usageError(
            QStringLiteral("--engine means --backend engine; it cannot go with --backend %1").arg(backendText));
    auto target = overlayTarget(p);
    if (!target)
        return Console::Failure;
    const Workspace &ws = target->workspace;
    const int index = target->index;
    auto opened = m_policy.openSession(ws, index, *requested);
    if (!opened)
        return m_console.failure(opened.error().message);
    // Auto found nothing that mounts here: say so, in the words the window uses.
    if (*requested == Backend::Auto && opened->choice.backend == Backend::Engine)
        m_console.note(opened->choice.reason);
    auto outcome = opened->session->apply(*operation);
    if (!outcome)
        return m_console.failure(outcome.error().message);
    const QString error = outcome->error
        ? MergedOperation::explainError(operation->verb(), outcome->error, ws.overlays().at(index).hasUpper())
        : QString();
    if (p.isSet(QStringLiteral("json"))) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("overlay", ws.overlays().at(index).name).field("verb", operation->verb());
        w.field("command", outcome->command).field("errno", outcome->error).fieldOrNull("error", error);
        w.key("events").beginArray();
        for (const OverlayEvent &e : outcome->events)
            e.writeJson(w);
        w.endArray().endObject();
        m_console.write(out + '\n');
    } else {
        m_console.print(QStringLiteral("$ %1   (%2)\n").arg(outcome->command, opened->session->describe()));
        for (const OverlayEvent &e : outcome->events)
            m_console.print(e.toText() + QLatin1Char('\n'));
        if (outcome->events.isEmpty() && outcome->error == 0)
            m_console.print(QStringLiteral("(the upper layer did not change)\n"));
    }
    return error.isEmpty() ? Console::Success : m_console.failure(error);
}

int StackCommands::shell(const QStringList &args)
{
    ArgParser p({}, {QStringLiteral("backend"), QStringLiteral("overlay")});
    const MountTarget t = mountTarget(p,
        args,
        QStringLiteral("usage: strata shell WS [--overlay NAME] [--backend auto|kernel|userns|fuse] [-- CMD...]"));
    if (!t.workspace)
        return t.exit;
    const Workspace &ws = *t.workspace;
    const BackendPolicy::Choice &choice = t.choice;
    // --overlay: that overlay (and the ones below it) mounted, the shell in its merged directory.
    int upTo = static_cast<int>(ws.overlays().size()) - 1;
    QString startDir = ws.baseDir();
    if (p.isSet(QStringLiteral("overlay"))) {
        const auto found = ws.overlayIndex(p.value(QStringLiteral("overlay")));
        if (!found)
            return m_console.failure(found.error().message);
        upTo = *found;
        startDir = ws.overlays().at(upTo).mountpoint;
    }
    QStringList command = p.rest();
    if (command.isEmpty()) {
        command << qEnvironmentVariable("SHELL", QStringLiteral("/bin/sh"));
        m_console.note(QStringLiteral("a shell with %1 mounted (%2 backend); the mounts vanish when it exits")
                           .arg(ws.filePath(), backendName(choice.backend)));
    }
    std::vector<QByteArray> argvData;
    for (const QString &c : command)
        argvData.push_back(encodeFileName(c));
    const QByteArray cwd = encodeFileName(startDir);
    StackMounter mounter(ws);
    // Held back until the child's pid is known, then passed on to it (the child starts with
    // the default handlers and nothing blocked: runInNamespace).
    const sigset_t forwarded = forwardedSet();
    sigset_t before;
    ::sigprocmask(SIG_BLOCK, &forwarded, &before);
    struct sigaction forward {
    };
    forward.sa_handler = forwardSignal;
    for (const int sig : ForwardedSignals)
        ::sigaction(sig, &forward, nullptr);
    auto rc = mounter.runInNamespace(
        choice.backend,
        upTo,
        [&argvData, &cwd] {
            std::vector<char *> argv;
            for (QByteArray &a : argvData)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            if (::chdir(cwd.constData()) != 0)
                return 127;
            ::setenv("STRATASCOPE_SHELL", "1", 1);
            ::execvp(argv[0], argv.data());
            return 127;
        },
        [&before](pid_t child) {
            g_child = child;
            ::sigprocmask(SIG_SETMASK, &before, nullptr);
        });
    g_child = 0;
    ::sigprocmask(SIG_SETMASK, &before, nullptr);
    if (!rc)
        return m_console.failure(rc.error().message);
    return *rc;
}

int StackCommands::events(const QStringList &args)
{
    ArgParser p({QStringLiteral("follow")}, {QStringLiteral("overlay"), QStringLiteral("timeout")});
    if (!p.parse(args))
        return m_console.usageError(p.error());
    if (p.positionals().size() != 1 || !p.isSet(QStringLiteral("follow")))
        return m_console.usageError(
            QStringLiteral("usage: strata events WS --follow [--overlay NAME] [--timeout SECONDS]"));
    // QTimer counts int milliseconds: at most 2147483 seconds (24 days).
    std::optional<qint64> timeout;
    if (p.isSet(QStringLiteral("timeout"))) {
        timeout = parseInteger(p.value(QStringLiteral("timeout")), 0, MaxTimeoutSeconds);
        if (!timeout)
            return m_console.usageError(
                QStringLiteral("--timeout: \"%1\" is not a number of seconds from 0 to %2; "
                               "usage: strata events WS --follow [--overlay NAME] [--timeout SECONDS]")
                    .arg(p.value(QStringLiteral("timeout")))
                    .arg(MaxTimeoutSeconds));
    }
    auto target = overlayTarget(p);
    if (!target)
        return Console::Failure;
    const Workspace &ws = target->workspace;
    const int index = target->index;
    Watcher watcher;
    const Status started = watcher.start(ws, index);
    if (!started.ok())
        return m_console.failure(started.error().message);
    // One JSON document per line.
    auto line = [this](const std::function<void(JsonWriter &)> &fill) {
        std::string out;
        JsonWriter w(out);
        fill(w);
        m_console.write(out + '\n');
    };
    QObject::connect(&watcher, &Watcher::changed, &watcher, [line](const QList<OverlayEvent> &events) {
        for (const OverlayEvent &e : events)
            line([&e](JsonWriter &w) { e.writeJson(w); });
    });
    QObject::connect(&watcher, &Watcher::lowerChanged, &watcher, [line](const QString &path) {
        line([&path](JsonWriter &w) {
            w.beginObject().field("kind", "lower_changed").path("path", path);
            w.field("explanation", LowerChangedText).endObject();
        });
    });
    QObject::connect(&watcher, &Watcher::directoryReplaced, &watcher, [line](const QString &message) {
        line([&message](JsonWriter &w) {
            w.beginObject().field("kind", "directory_replaced").field("explanation", message).endObject();
        });
    });
    // One line first, so scripts know the watch is in place.
    line([&](JsonWriter &w) {
        w.beginObject().field("kind", "watching").field("overlay", ws.overlays().at(index).name).endObject();
    });
    if (timeout)
        QTimer::singleShot(static_cast<int>(*timeout * 1000), qApp, &QCoreApplication::quit);
    QCoreApplication::exec();
    return Console::Success;
}

} // namespace strata
