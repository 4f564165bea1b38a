// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercommands.h"

#include "app/strata/analyzecommands.h"
#include "app/strata/argparser.h"
#include "app/strata/containerdcommands.h"
#include "app/strata/storecommands.h"
#include "app/strata/storeoutput.h"
#include "core/image/docker/dockercontainerdroot.h"
#include "core/image/docker/dockerdiff.h"
#include "core/image/docker/dockerhost.h"
#include "core/util/jsonwriter.h"

#include <QDateTime>
#include <QHash>

namespace strata
{

namespace
{

using Out = StoreOutput;

QString shortTime(const QString &rfc3339)
{
    const QDateTime t = QDateTime::fromString(rfc3339.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    return t.isValid() ? t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : rfc3339;
}

void writeLayer(JsonWriter &w, const DockerImageLayer &l)
{
    w.beginObject().field("index", l.index).field("diff_id", l.diffId).field("chain_id", l.chainId);
    w.fieldOrNull("cache_id", l.cacheId).fieldOrNull("dir", l.dir).fieldOrNull("diff_dir", l.diffDir);
    w.fieldOrNull("link", l.link).field("lower", l.lower).field("lower_links", l.lowerLinks);
    w.field("committed", l.committed);
    StoreOutput::writeMadeBy(w, l.createdBy, l.createdByRaw, l.historyIndex);
    w.key("size").countOrNull(l.size).field("problems", l.problems).endObject();
}

} // namespace

DockerCommands::DockerCommands(Console &console)
    : SubcommandFamily(console,
        QStringLiteral("docker"),
        QStringLiteral(
            "Docker hosts:\n"
            "  docker images|layers|containers|diff|tree|find|grep|explain|analyze ... [--root DIR] [--json]\n"
            "                               explore a Docker host's storage in place, read-only\n"
            "                               (strata docker --help)\n"),
        usage())
{
}

QString DockerCommands::usage()
{
    return QStringLiteral(
        "Usage: strata docker COMMAND [ARGS...] [--root DIR] [--json]\n"
        "\n"
        "The Docker host explorer: reads a Docker root (overlay2 storage driver) directly, read-only,\n"
        "without the daemon. Nothing under the root is ever written or mounted. A root with the\n"
        "containerd image store (Docker 29) is read as namespace moby of <root>/containerd/daemon.\n"
        "\n"
        "Commands:\n"
        "  images [--all]          images, like `docker images` (--all: also intermediate build images)\n"
        "  layers REF              an image's layers, bottom first: diff ID, chain ID, overlay2\n"
        "                          directory, l/ short link, size, and the instruction that made it\n"
        "  containers              containers with their upper, init, merged and lower directories\n"
        "  diff CTR                what a container changed: the A/C/D lines of `docker diff`\n"
        "  tree REF [--visible]    the merged view of a container (or image) with provenance\n"
        "  find GLOB [--in REF]    which layers hold a path (GLOB matches the name, or the whole\n"
        "                          path when it has a '/'); whiteouts show deleted names\n"
        "  grep TEXT [--in REF] [--progress]\n"
        "                          files whose contents hold TEXT, in every layer (hidden copies too)\n"
        "  explain REF PATH        PATH in a container (or image) REF: every layer that has it,\n"
        "                          which copy wins, what hides what\n"
        "  analyze REF [--json] [--ci] [--ci-config FILE] [--lowest-efficiency R]\n"
        "          [--highest-wasted-bytes N] [--highest-user-wasted-percent R]\n"
        "                          an image's waste as dive figures it (docs/analysis.md);\n"
        "                          --changes: what each layer added, modified and removed\n"
        "\n"
        "REF is a container (name, ID or ID prefix) or an image (name:tag, ID or ID prefix);\n"
        "--in limits a search to the layers of one image or container.\n"
        "Options:\n"
        "  --root DIR   the Docker root to read (default /var/lib/docker; any copy works)\n"
        "  --json       machine-readable output (docs/docker.md)\n"
        "\n"
        "Files that cannot be read are reported as warnings, and everything else is still shown.\n"
        "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

void DockerCommands::warnProblems(const DockerHost &host)
{
    StoreOutput::warnProblems(m_console, host.problems());
}

int DockerCommands::run(const QString &, const QStringList &args)
{
    if (const auto done
        = opening(args, QStringLiteral("images, layers, containers, diff, tree, find, grep, explain, analyze")))
        return *done;
    const QString cmd = args.first();
    if (cmd == QLatin1String("analyze"))
        return AnalyzeCommands(m_console).runDocker(args.mid(1));
    struct Spec {
        int positionals;
        QStringList flags;
        QStringList values;
        QString synopsis;
    };
    const QString json = QStringLiteral("json");
    const QString in = QStringLiteral("in");
    const QHash<QString, Spec> specs {
        {QStringLiteral("images"), {0, {json, QStringLiteral("all")}, {}, QStringLiteral("images [--all]")}},
        {QStringLiteral("layers"), {1, {json}, {}, QStringLiteral("layers REF")}},
        {QStringLiteral("containers"), {0, {json}, {}, QStringLiteral("containers")}},
        {QStringLiteral("diff"), {1, {json}, {}, QStringLiteral("diff CTR")}},
        {QStringLiteral("tree"), {1, {json, QStringLiteral("visible")}, {}, QStringLiteral("tree REF [--visible]")}},
        {QStringLiteral("find"), {1, {json}, {in}, QStringLiteral("find GLOB [--in REF]")}},
        {QStringLiteral("grep"),
            {1, {json, QStringLiteral("progress")}, {in}, QStringLiteral("grep TEXT [--in REF] [--progress]")}},
        {QStringLiteral("explain"), {2, {json}, {}, QStringLiteral("explain REF PATH")}},
    };
    const auto spec = specs.constFind(cmd);
    if (spec == specs.cend())
        return usageError(QStringLiteral("docker: unknown command \"%1\"").arg(cmd));
    ArgParser p(spec->flags, spec->values + QStringList {QStringLiteral("root")});
    if (!p.parse(args.mid(1)))
        return usageError(QStringLiteral("docker %1: %2").arg(cmd, p.error()));
    const QStringList positionals = p.positionals() + p.rest(); // "--" ends options: grep -- -x
    if (positionals.size() != spec->positionals)
        return usageError(QStringLiteral("usage: strata docker %1 [--root DIR] [--json]").arg(spec->synopsis));
    if (p.isSet(QStringLiteral("root")) && p.value(QStringLiteral("root")).isEmpty())
        return usageError(QStringLiteral("docker %1: --root needs a directory").arg(cmd));

    const bool asJson = p.isSet(json);
    if (DockerContainerdRoot::detect(p.value(QStringLiteral("root"))))
        return runContainerd(cmd, p);
    auto host = DockerHost::open(p.value(QStringLiteral("root")));
    if (!host)
        return m_console.failure(host.error().message);
    warnProblems(*host);

    if (cmd == QLatin1String("images"))
        return images(*host, asJson, p.isSet(QStringLiteral("all")));
    if (cmd == QLatin1String("layers")) {
        const auto img = host->findImage(positionals.at(0));
        return img ? layers(*host, **img, asJson) : m_console.failure(img.error().message);
    }
    if (cmd == QLatin1String("containers"))
        return containers(*host, asJson);
    StoreCommands common(m_console);
    if (cmd == QLatin1String("diff")) {
        const auto c = host->findContainer(positionals.at(0));
        return c ? common.diff(**c, DockerDiff::compute(*host, **c), asJson) : m_console.failure(c.error().message);
    }
    if (cmd == QLatin1String("tree"))
        return common.tree(*host, positionals.at(0), p.isSet(QStringLiteral("visible")), asJson);
    if (cmd == QLatin1String("find") || cmd == QLatin1String("grep"))
        return common.search(*host,
            StoreCommands::Search {cmd == QLatin1String("grep"),
                positionals.at(0),
                p.value(in),
                asJson,
                p.isSet(QStringLiteral("progress"))});
    return common.explain(*host, positionals.at(0), positionals.at(1), asJson);
}

// A Docker 29 root: the containerd family answers, over namespace moby and Docker's containers.
int DockerCommands::runContainerd(const QString &cmd, const ArgParser &p)
{
    auto store = DockerContainerdRoot::open(p.value(QStringLiteral("root")));
    if (!store)
        return m_console.failure(store.error().message);
    if (!p.isSet(QStringLiteral("json")))
        m_console.note(DockerContainerdRoot::layoutNote(*store));
    StoreOutput::warnProblems(m_console, store->problems());
    return ContainerdCommands(m_console).dispatch(cmd, *store, p);
}

int DockerCommands::images(const DockerHost &host, bool json, bool all)
{
    QVector<const DockerImage *> shown;
    for (const DockerImage &img : host.images()) {
        // `docker images` leaves out untagged images that are parents of others (build steps).
        if (!all && img.isDangling() && img.hasChildren)
            continue;
        shown << &img;
    }
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", host.root()).key("images").beginArray();
        for (const DockerImage *img : shown) {
            w.beginObject().field("id", img->id).field("tags", img->tags).field("digests", img->digests);
            w.fieldOrNull("created", img->created).field("layers", img->diffIds.size());
            w.key("size").countOrNull(img->size).fieldOrNull("parent", img->parentId).field("user", img->user);
            w.field("dangling", img->isDangling()).fieldOrNull("error", img->error);
            w.field("problems", img->problems).endObject();
        }
        w.endArray().key("problems");
        Out::writeProblems(w, host.problems());
        w.endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    auto names = [](const DockerImage *img) {
        return img->tags.isEmpty() ? QStringList {QStringLiteral("<none>:<none>")} : img->tags;
    };
    int width = 10;
    for (const DockerImage *img : shown) {
        for (const QString &t : names(img))
            width = std::max(width, static_cast<int>(t.size()));
    }
    QString out = Out::pad(QStringLiteral("REPOSITORY:TAG"), width + 2)
        + QStringLiteral("IMAGE ID      CREATED              LAYERS  SIZE\n");
    for (const DockerImage *img : shown) {
        for (const QString &t : names(img)) {
            out += Out::pad(t, width + 2) + Out::pad(img->shortId(), 14);
            if (!img->error.isEmpty()) {
                out += QStringLiteral("(unreadable: see the warnings)\n");
                continue;
            }
            out += Out::pad(shortTime(img->created), 21) + Out::pad(QString::number(img->diffIds.size()), 8)
                + Out::humanSize(img->size) + QLatin1Char('\n');
        }
    }
    return m_console.printed(out);
}

int DockerCommands::layers(const DockerHost &host, const DockerImage &img, bool json)
{
    if (!img.error.isEmpty() && img.diffIds.isEmpty())
        return m_console.failure(QStringLiteral("image %1: %2").arg(img.displayName(), img.error));
    const QVector<DockerImageLayer> layers = host.imageLayers(img);
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", host.root()).field("id", img.id).field("tags", img.tags);
        w.field("user", img.user).key("layers").beginArray();
        for (const DockerImageLayer &l : layers)
            writeLayer(w, l);
        w.endArray();
        Out::writeImageEnd(w, img);
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out
        = QStringLiteral("image %1 (%2), %3 layers, bottom first:\n").arg(img.displayName(), img.id).arg(layers.size());
    out += QStringLiteral("  #  CACHE ID      LINK                        SIZE      CREATED BY\n");
    for (const DockerImageLayer &l : layers) {
        out += QStringLiteral("%1  ").arg(l.index, 3)
            + Out::pad(l.cacheId.isEmpty() ? QStringLiteral("?") : l.cacheId.left(12), 14)
            + Out::pad(l.link.isEmpty() ? QStringLiteral("?") : l.link, 28) + Out::pad(Out::humanSize(l.size), 10)
            + Out::layerRowEnd(l);
    }
    return m_console.printed(out + Out::historySection(img.history));
}

int DockerCommands::containers(const DockerHost &host, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", host.root()).key("containers").beginArray();
        for (const DockerContainer &c : host.containers()) {
            const bool mounted = c.running || (!c.mergedDir.isEmpty() && host.overlayDirs().value(c.mountId).hasMerged);
            w.beginObject().field("id", c.id).field("name", c.name).fieldOrNull("image_id", c.imageId);
            w.fieldOrNull("image", c.image).field("running", c.running).fieldOrNull("status", c.status);
            w.field("user", c.user).fieldOrNull("mount_id", c.mountId).fieldOrNull("init_id", c.initId);
            w.fieldOrNull("upper_dir", c.upperDir).fieldOrNull("init_dir", c.initDir);
            w.fieldOrNull("merged_dir", c.mergedDir).fieldOrNull("work_dir", c.workDir);
            w.field("merged_mounted", mounted).field("lower_dirs", c.lowerDirs).fieldOrNull("error", c.error);
            w.field("problems", c.problems).endObject();
        }
        w.endArray().key("problems");
        Out::writeProblems(w, host.problems());
        w.endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out
        = QStringLiteral("CONTAINER ID  NAME                  IMAGE                           STATUS      USER\n");
    for (const DockerContainer &c : host.containers()) {
        out += Out::pad(c.shortId(), 14) + Out::pad(c.name.isEmpty() ? QStringLiteral("?") : c.name, 22)
            + Out::pad(c.image.isEmpty() ? c.imageId.mid(7, 12) : c.image, 32)
            + Out::pad(c.status.isEmpty() ? QStringLiteral("?") : c.status, 12)
            + (c.user.isEmpty() ? QStringLiteral("root") : c.user) + QLatin1Char('\n');
        if (!c.error.isEmpty())
            out += QStringLiteral("  problem: ") + c.error + QLatin1Char('\n');
        if (c.mountId.isEmpty())
            continue;
        out += QStringLiteral("  upper   %1\n").arg(c.upperDir);
        if (!c.initDir.isEmpty())
            out += QStringLiteral("  init    %1\n").arg(c.initDir);
        if (c.running)
            out += QStringLiteral("  merged  %1  (mounted: root on the host can write there, whatever USER says)\n")
                       .arg(c.mergedDir);
        else
            out += QStringLiteral("  merged  %1  (not mounted)\n").arg(c.mergedDir);
        for (qsizetype i = 0; i < c.lowerDirs.size(); ++i)
            out += QStringLiteral("  lower%1  %2\n").arg(i).arg(c.lowerDirs.at(i));
        for (const QString &pr : c.problems)
            out += QStringLiteral("  problem: ") + pr + QLatin1Char('\n');
    }
    return m_console.printed(out);
}

} // namespace strata
