// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdcommands.h"

#include "app/strata/analyzecommands.h"
#include "app/strata/argparser.h"
#include "app/strata/storecommands.h"
#include "app/strata/storeoutput.h"
#include "core/image/containerd/containerddiff.h"
#include "core/image/containerd/containerdstore.h"
#include "core/util/jsonwriter.h"

namespace strata
{

namespace
{

using Out = StoreOutput;

void writeLayer(JsonWriter &w, const ContainerdLayer &l, const QStringList &below)
{
    w.beginObject().field("index", l.index).field("diff_id", l.diffId).field("chain_id", l.chainId);
    w.fieldOrNull("cache_id", l.cacheId).fieldOrNull("dir", l.dir).fieldOrNull("diff_dir", l.diffDir);
    w.fieldOrNull("snapshot_name", l.snapshotName).fieldOrNull("kind", l.kind).field("lower", below);
    w.field("committed", l.kind == QLatin1String("committed"));
    StoreOutput::writeMadeBy(w, l.createdBy, l.createdByRaw, l.historyIndex);
    w.key("size").countOrNull(l.size).field("problems", l.problems).endObject();
}

void writeContainer(JsonWriter &w, const ContainerdContainer &c)
{
    w.beginObject().field("id", c.id).field("name", c.name).fieldOrNull("image_id", c.imageId);
    w.fieldOrNull("image", c.image).field("running", c.running).field("status", c.status).field("user", c.user);
    w.field("snapshotter", c.snapshotter).field("snapshot_key", c.snapshotKey);
    w.fieldOrNull("snapshot_name", c.snapshotName).fieldOrNull("snapshot_id", c.snapshotId);
    w.fieldOrNull("upper_dir", c.upperDir).fieldOrNull("init_dir", c.initDir).fieldOrNull("work_dir", c.workDir);
    w.fieldOrNull("merged_dir", c.mergedDir);
    w.field("lower_dirs", c.lowerDirs).fieldOrNull("runtime", c.runtime).fieldOrNull("created", c.created);
    w.fieldOrNull("error", c.error).field("problems", c.problems).endObject();
}

// The head of every listing: where, which namespace.
JsonWriter &begin(JsonWriter &w, const ContainerdStore &store)
{
    return w.beginObject().field("root", store.root()).field("namespace", store.nameSpace());
}

} // namespace

ContainerdCommands::ContainerdCommands(Console &console)
    : SubcommandFamily(console,
        QStringLiteral("containerd"),
        QStringLiteral("containerd stores:\n"
                       "  containerd namespaces|images|layers|containers|diff|tree|find|grep|explain|analyze ...\n"
                       "             [--root DIR] [--namespace NS] [--json]\n"
                       "                               explore a containerd root in place, read-only\n"
                       "                               (strata containerd --help)\n"),
        usage())
{
}

QString ContainerdCommands::usage()
{
    return QStringLiteral(
        "Usage: strata containerd COMMAND [ARGS...] [--root DIR] [--namespace NS] [--json]\n"
        "\n"
        "Reads a containerd root (its metadata and the overlayfs snapshotter's databases, its content\n"
        "store and snapshot directories) directly, read-only, without the daemon and without its\n"
        "locks. Nothing under the root is ever written or mounted.\n"
        "\n"
        "Commands:\n"
        "  namespaces              the namespaces, with their images, containers and snapshots\n"
        "  images                  images, like `ctr images ls`; the ID is the target's digest\n"
        "  layers REF              an image's layers, bottom first: diff ID, chain ID, snapshot and\n"
        "                          its directory, size, and the instruction that made it\n"
        "  containers              containers with their snapshot: upper, work and lower directories\n"
        "  diff CTR                what a container changed: the A/C/D lines `docker diff` prints\n"
        "                          (runc's empty mount points /dev /proc /run /sys left out)\n"
        "  tree REF [--visible]    the merged view of a container (or image) with provenance\n"
        "  find GLOB [--in REF]    which layers hold a path (GLOB matches the name, or the whole\n"
        "                          path when it has a '/'); whiteouts show deleted names\n"
        "  grep TEXT [--in REF] [--progress]\n"
        "                          files whose contents hold TEXT, in every layer (hidden copies too)\n"
        "  explain REF PATH        PATH in a container (or image) REF: every layer that has it,\n"
        "                          which copy wins, what hides what\n"
        "  analyze REF [--json] [--changes] [--ci] [--ci-config FILE]\n"
        "                          an image's waste as dive figures it (docs/analysis.md)\n"
        "\n"
        "REF is a container (ID or unique prefix) or an image (name as stored or as typed:\n"
        "alpine = docker.io/library/alpine:latest, ID or ID prefix).\n"
        "Options:\n"
        "  --root DIR       the containerd root (default /var/lib/containerd; Docker 29's own is\n"
        "                   /var/lib/docker/containerd/daemon; any copy works)\n"
        "  --namespace NS   the namespace (default: default; Docker: moby, Kubernetes: k8s.io)\n"
        "  --json           machine-readable output (docs/cli.md)\n"
        "\n"
        "What cannot be read is reported as warnings, and everything else is still shown.\n"
        "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

int ContainerdCommands::run(const QString &, const QStringList &args)
{
    if (const auto done = opening(
            args, QStringLiteral("namespaces, images, layers, containers, diff, tree, find, grep, explain, analyze")))
        return *done;
    const QString cmd = args.first();
    if (cmd == QLatin1String("analyze"))
        return AnalyzeCommands(m_console).runContainerd(args.mid(1));
    auto verbs = StoreCommands::verbs();
    verbs.insert(QStringLiteral("namespaces"), {0, {QStringLiteral("json")}, {}, QStringLiteral("namespaces")});
    const auto verb = verbs.constFind(cmd);
    if (verb == verbs.cend())
        return usageError(QStringLiteral("containerd: unknown command \"%1\"").arg(cmd));
    const QStringList storeOptions {QStringLiteral("root"), QStringLiteral("namespace")};
    ArgParser p(verb->flags, verb->values + storeOptions);
    if (const auto bad
        = StoreCommands(m_console).parse(p, QStringLiteral("containerd"), cmd, *verb, storeOptions, args.mid(1)))
        return *bad;
    auto store = ContainerdStore::open(p.value(QStringLiteral("root")), p.value(QStringLiteral("namespace")));
    if (!store)
        return m_console.failure(store.error().message);
    Out::warnProblems(m_console, store->problems());
    return dispatch(cmd, *store, p);
}

int ContainerdCommands::dispatch(const QString &cmd, const ContainerdStore &store, const ArgParser &p)
{
    const bool json = p.isSet(QStringLiteral("json"));
    const QStringList positionals = p.positionals() + p.rest(); // "--" ends options: grep -- -x
    StoreCommands common(m_console);
    if (cmd == QLatin1String("namespaces"))
        return namespaces(store, json);
    if (cmd == QLatin1String("images"))
        return images(store, json);
    if (cmd == QLatin1String("layers"))
        return layers(store, positionals.at(0), json);
    if (cmd == QLatin1String("containers"))
        return containers(store, json);
    if (cmd == QLatin1String("diff")) {
        const auto c = store.containerIndex(positionals.at(0));
        if (!c)
            return m_console.failure(c.error().message);
        return common.diff(store.containerAt(*c), ContainerdDiff::compute(store, *c), json);
    }
    return common.common(cmd, store, p).value_or(Console::Usage);
}

int ContainerdCommands::namespaces(const ContainerdStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", store.root()).key("namespaces").beginArray();
        for (const ContainerdNamespace &n : store.namespaces()) {
            w.beginObject().field("name", n.name).field("images", n.images).field("containers", n.containers);
            w.field("snapshots", n.snapshots).field("blobs", n.blobs).endObject();
        }
        w.endArray();
        return Out::endListing(m_console, w, out, store.problems());
    }
    int width = 10;
    for (const ContainerdNamespace &n : store.namespaces())
        width = std::max(width, static_cast<int>(n.name.size()));
    QString out
        = Out::pad(QStringLiteral("NAMESPACE"), width + 2) + QStringLiteral("IMAGES  CONTAINERS  SNAPSHOTS  BLOBS\n");
    for (const ContainerdNamespace &n : store.namespaces()) {
        out += Out::pad(n.name, width + 2) + Out::pad(QString::number(n.images), 8)
            + Out::pad(QString::number(n.containers), 12) + Out::pad(QString::number(n.snapshots), 11)
            + QString::number(n.blobs) + QLatin1Char('\n');
    }
    return m_console.printed(out);
}

int ContainerdCommands::images(const ContainerdStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        begin(w, store).key("images").beginArray();
        for (const ContainerdImage &img : store.images()) {
            w.beginObject().field("id", img.id).field("tags", img.tags).field("digests", img.digests);
            w.fieldOrNull("created", img.created).field("layers", img.diffIds.size());
            w.key("size").countOrNull(img.size).key("parent").null().field("user", img.user);
            w.field("dangling", img.isDangling()).fieldOrNull("media_type", img.mediaType);
            w.fieldOrNull("manifest_digest", img.manifestDigest).fieldOrNull("config_digest", img.configDigest);
            w.fieldOrNull("platform", img.platform).key("content_size").countOrNull(img.contentSize);
            w.fieldOrNull("error", img.error).field("problems", img.problems).endObject();
        }
        w.endArray();
        return Out::endListing(m_console, w, out, store.problems());
    }
    int width = 10;
    for (const ContainerdImage &img : store.images()) {
        for (const QString &t : img.tags + img.digests)
            width = std::max(width, static_cast<int>(t.size()));
    }
    QString out = Out::pad(QStringLiteral("REF"), width + 2)
        + QStringLiteral("IMAGE ID      CREATED              LAYERS  SIZE\n");
    for (const ContainerdImage &img : store.images()) {
        for (const QString &t : img.tags + img.digests) {
            out += Out::pad(t, width + 2) + Out::pad(img.shortId(), 14);
            if (!img.error.isEmpty() && img.diffIds.isEmpty()) {
                out += QStringLiteral("(unreadable: see the warnings)\n");
                continue;
            }
            out += Out::pad(img.created.left(19).replace(QLatin1Char('T'), QLatin1Char(' ')), 21)
                + Out::pad(QString::number(img.diffIds.size()), 8) + Out::humanSize(img.size) + QLatin1Char('\n');
        }
    }
    return m_console.printed(out);
}

int ContainerdCommands::layers(const ContainerdStore &store, const QString &ref, bool json)
{
    const auto i = store.imageIndex(ref);
    if (!i)
        return m_console.failure(i.error().message);
    const ContainerdImage &img = store.imageAt(*i);
    if (!img.error.isEmpty() && img.diffIds.isEmpty())
        return m_console.failure(QStringLiteral("image %1: %2").arg(img.displayName(), img.error));
    const QVector<ContainerdLayer> &layers = store.imageLayers(*i);
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        begin(w, store).field("id", img.id).field("tags", img.tags).field("user", img.user);
        w.key("layers").beginArray();
        QStringList below; // top first, as lowerdir= names them
        for (const ContainerdLayer &l : layers) {
            writeLayer(w, l, below);
            below.prepend(l.cacheId);
        }
        w.endArray();
        Out::writeImageEnd(w, img);
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out
        = QStringLiteral("image %1 (%2), %3 layers, bottom first:\n").arg(img.displayName(), img.id).arg(layers.size());
    out += QStringLiteral("  #  SNAPSHOT  SIZE      CREATED BY\n");
    for (const ContainerdLayer &l : layers) {
        out += QStringLiteral("%1  ").arg(l.index, 3)
            + Out::pad(l.cacheId.isEmpty() ? QStringLiteral("?") : l.cacheId, 10) + Out::pad(Out::humanSize(l.size), 10)
            + Out::layerRowEnd(l);
    }
    return m_console.printed(out + Out::historySection(img.history));
}

int ContainerdCommands::containers(const ContainerdStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        begin(w, store).key("containers").beginArray();
        for (const ContainerdContainer &c : store.containers())
            writeContainer(w, c);
        w.endArray();
        return Out::endListing(m_console, w, out, store.problems());
    }
    QString out = QStringLiteral("CONTAINER             IMAGE                                     STATUS      USER\n");
    for (const ContainerdContainer &c : store.containers()) {
        out += Out::pad(c.id, 22) + Out::pad(c.imageName(), 42) + Out::pad(c.status, 12)
            + (c.user.isEmpty() ? QStringLiteral("root") : c.user) + QLatin1Char('\n');
        out += Out::containerLines(c);
    }
    return m_console.printed(out);
}

} // namespace strata
