// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include "app/strata/argparser.h"
#include "app/strata/dockercli.h"
#include "app/strata/stackcli.h"
#include "core/merge/mergedtree.h"
#include "core/merge/treewriter.h"
#include "core/stack/scenario.h"
#include "core/stack/workspace.h"

#include <QDir>

namespace strata
{

namespace
{

} // namespace

Cli::Cli(QIODevice &out, QIODevice &err) : m_out(out), m_err(err)
{
}

QString Cli::usage()
{
    QString scenarios;
    for (const QString &n : Scenario::names())
        scenarios += QStringLiteral("    %1  %2\n").arg(n, -12).arg(Scenario::description(n));
    return QStringLiteral("strata - make Linux OverlayFS visible (command-line tool of Stratascope)\n"
                          "\n"
                          "Usage: strata COMMAND [ARGS...]\n"
                          "\n"
                          "Commands:\n"
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
                          "                               rmxattr); --engine: the userspace engine, no mount\n"
                          "  shell WS [--overlay NAME] [--backend B] [-- CMD...]\n"
                          "                               a shell (or CMD) in a private mount namespace with the\n"
                          "                               workspace mounted; a user namespace for normal users;\n"
                          "                               --overlay: up to NAME, starting in its merged directory\n"
                          "  docker images|layers|containers|diff|find|grep|explain ... [--root DIR] [--json]\n"
                          "                               explore a Docker host's storage in place, read-only\n"
                          "                               (strata docker --help)\n"
                          "  events WS --follow [--overlay NAME]\n"
                          "                               JSON lines for changes made by anyone, as they happen\n"
                          "\n"
                          "WS is a workspace file (stratascope.json) or a directory that holds one.\n"
                          "Scenarios:\n")
        + scenarios
        + QStringLiteral("\n"
                         "Options:\n"
                         "  --help      show this help\n"
                         "  --version   show the version\n"
                         "\n"
                         "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

void Cli::print(const QString &text)
{
    m_out.write(text.toUtf8());
}

int Cli::usageError(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\nTry 'strata --help'.\n").arg(message).toUtf8());
    return Usage;
}

int Cli::failure(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\n").arg(message).toUtf8());
    return Failure;
}

int Cli::run(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(QStringLiteral("missing command"));
    const QString &cmd = args.first();
    if (cmd == QLatin1String("--help") || cmd == QLatin1String("-h") || cmd == QLatin1String("help")) {
        print(usage());
        return Success;
    }
    if (cmd == QLatin1String("--version") || cmd == QLatin1String("-V")) {
        print(QStringLiteral("strata %1\n").arg(QStringLiteral(STRATA_VERSION)));
        return Success;
    }
    const QStringList rest = args.mid(1);
    if (cmd == QLatin1String("docker"))
        return DockerCli(m_out, m_err).run(rest); // it has its own help
    if (rest.contains(QStringLiteral("--help"))) {
        print(usage());
        return Success;
    }
    if (cmd == QLatin1String("scenario"))
        return cmdScenario(rest);
    if (cmd == QLatin1String("tree"))
        return cmdTree(rest);
    StackCli stack(m_out, m_err);
    if (cmd == QLatin1String("mount"))
        return stack.mount(rest);
    if (cmd == QLatin1String("umount"))
        return stack.umount(rest);
    if (cmd == QLatin1String("status"))
        return stack.status(rest);
    if (cmd == QLatin1String("mounts"))
        return stack.mounts(rest);
    if (cmd == QLatin1String("op"))
        return stack.op(rest);
    if (cmd == QLatin1String("shell"))
        return stack.shell(rest);
    if (cmd == QLatin1String("events"))
        return stack.events(rest);
    if (cmd == QLatin1String("docker"))
        return DockerCli(m_out, m_err).run(rest);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(cmd));
}

int Cli::cmdScenario(const QStringList &args)
{
    ArgParser p({QStringLiteral("json")}, {});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 2) {
        return usageError(QStringLiteral("usage: strata scenario NAME DIR (NAME is one of %1)")
                              .arg(Scenario::names().join(QStringLiteral(", "))));
    }
    if (!Scenario::names().contains(p.positionals().at(0))) {
        return usageError(QStringLiteral("unknown scenario \"%1\"; choose one of %2")
                              .arg(p.positionals().at(0), Scenario::names().join(QStringLiteral(", "))));
    }
    auto ws = Scenario::create(p.positionals().at(0), p.positionals().at(1));
    if (!ws)
        return failure(ws.error().message);
    print(QStringLiteral("created scenario \"%1\" in %2\nworkspace: %3\n")
              .arg(p.positionals().at(0), ws->baseDir(), ws->filePath()));
    return Success;
}

int Cli::cmdTree(const QStringList &args)
{
    ArgParser p(
        {QStringLiteral("json"), QStringLiteral("visible")}, {QStringLiteral("overlay"), QStringLiteral("path")});
    if (!p.parse(args))
        return usageError(p.error());
    if (p.positionals().size() != 1)
        return usageError(QStringLiteral("usage: strata tree WS [--overlay NAME] [--path PATH] [--visible] [--json]"));
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return failure(ws.error().message);
    for (const QString &w : ws->warnings())
        m_err.write(QStringLiteral("strata: warning: %1\n").arg(w).toUtf8());

    const auto found = ws->overlayIndex(p.value(QStringLiteral("overlay")));
    if (!found)
        return failure(found.error().message);
    const int index = *found;
    const OverlaySpec &spec = ws->overlays().at(index);
    auto layers = ws->mergeLayers(index);
    if (!layers)
        return failure(layers.error().message);
    auto tree = MergedTree::build(*layers, spec.options.mergeOptions());
    if (!tree)
        return failure(QStringLiteral("overlay \"%1\": %2").arg(spec.name, tree.error().message));
    if (!p.isSet(QStringLiteral("json"))) {
        for (const QString &w : tree->warnings())
            m_err.write(QStringLiteral("strata: warning: %1\n").arg(w).toUtf8());
    }

    NodeId start = MergedTree::root();
    if (p.isSet(QStringLiteral("path"))) {
        const QByteArray wanted = QFile::encodeName(p.value(QStringLiteral("path")));
        const auto found = tree->find(std::string_view(wanted.constData(), static_cast<size_t>(wanted.size())));
        if (!found)
            return failure(
                QStringLiteral("%1: not in the merged view of \"%2\"").arg(p.value(QStringLiteral("path")), spec.name));
        start = *found;
    }
    TreeWriter::Options options;
    options.json = p.isSet(QStringLiteral("json"));
    options.includeWhiteouts = !p.isSet(QStringLiteral("visible"));
    options.overlayName = spec.name;
    options.workspaceFile = ws->filePath();
    TreeWriter writer(*tree, options);
    if (!writer.write(m_out, start))
        return failure(QStringLiteral("cannot write the output"));
    return Success;
}

} // namespace strata
