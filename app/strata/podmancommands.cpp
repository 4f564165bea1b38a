// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmancommands.h"

#include "app/strata/analyzecommands.h"
#include "app/strata/argparser.h"
#include "app/strata/storecommands.h"
#include "app/strata/storeoutput.h"
#include "core/image/podman/podmandiff.h"
#include "core/image/podman/podmanstore.h"
#include "core/util/jsonwriter.h"

namespace strata
{

namespace
{

using Out = StoreOutput;

void writeLayer(JsonWriter &w, const PodmanLayer &l, const QStringList &below)
{
    w.beginObject().field("index", l.index).field("diff_id", l.diffId).fieldOrNull("chain_id", l.chainId);
    w.field("cache_id", l.cacheId).field("dir", l.dir).field("diff_dir", l.diffDir);
    w.fieldOrNull("alias", l.alias).fieldOrNull("parent", l.parent).field("lower", below);
    Out::writeMadeBy(w, l.createdBy, l.createdByRaw, l.historyIndex);
    w.key("size").countOrNull(l.size).key("compressed_size").countOrNull(l.compressedSize);
    w.field("problems", l.problems).endObject();
}

void writeContainer(JsonWriter &w, const PodmanContainer &c)
{
    w.beginObject().field("id", c.id).field("name", c.name).field("names", c.names);
    w.fieldOrNull("image_id", c.imageId).fieldOrNull("image", c.image).field("running", c.running);
    w.field("status", c.status).field("exit_code", c.exitCode).field("user", c.user).fieldOrNull("layer_id", c.layerId);
    w.fieldOrNull("upper_dir", c.upperDir).fieldOrNull("init_dir", c.initDir).fieldOrNull("work_dir", c.workDir);
    w.fieldOrNull("merged_dir", c.mergedDir).field("lower_dirs", c.lowerDirs).fieldOrNull("created", c.created);
    w.fieldOrNull("error", c.error).field("problems", c.problems).endObject();
}

} // namespace

PodmanCommands::PodmanCommands(Console &console)
    : SubcommandFamily(console,
        QStringLiteral("podman"),
        QStringLiteral(
            "Podman stores:\n"
            "  podman images|layers|containers|diff|tree|find|grep|explain|analyze ... [--root DIR] [--json]\n"
            "                               explore a containers-storage store in place, read-only\n"
            "                               (strata podman --help)\n"),
        usage())
{
}

QString PodmanCommands::usage()
{
    return QStringLiteral(
        "Usage: strata podman COMMAND [ARGS...] [--root DIR] [--json]\n"
        "\n"
        "Reads a containers-storage store (Podman, Buildah, CRI-O) with the overlay driver directly,\n"
        "read-only: its layers.json, images.json and containers.json without their lock files, the\n"
        "images' configs and the layer directories. Nothing under the root is written or mounted.\n"
        "Whiteouts are read in both forms: 0/0 devices (native overlay) and .wh. files\n"
        "(fuse-overlayfs).\n"
        "\n"
        "Commands:\n"
        "  images                  images, like `podman images`\n"
        "  layers REF              an image's layers, bottom first: diff ID, layer ID and directory,\n"
        "                          size, and the instruction that made it\n"
        "  containers              containers with their layer: upper, work and lower directories\n"
        "  diff CTR                what a container changed: the A/C/D lines `podman diff` prints\n"
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
        "REF is a container (name, ID or unique prefix) or an image (name as stored or as typed:\n"
        "x:1 = localhost/x:1, alpine = docker.io/library/alpine:latest, ID or ID prefix).\n"
        "Options:\n"
        "  --root DIR       the store (default: root's /var/lib/containers/storage, another user's\n"
        "                   ~/.local/share/containers/storage; storage.conf's graphroot when set)\n"
        "  --json           machine-readable output (docs/cli.md)\n"
        "\n"
        "What cannot be read is reported as warnings, and everything else is still shown.\n"
        "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

int PodmanCommands::run(const QString &, const QStringList &args)
{
    if (const auto done
        = opening(args, QStringLiteral("images, layers, containers, diff, tree, find, grep, explain, analyze")))
        return *done;
    const QString cmd = args.first();
    if (cmd == QLatin1String("analyze"))
        return AnalyzeCommands(m_console).runPodman(args.mid(1));
    const auto verbs = StoreCommands::verbs();
    const auto verb = verbs.constFind(cmd);
    if (verb == verbs.cend())
        return usageError(QStringLiteral("podman: unknown command \"%1\"").arg(cmd));
    const QStringList storeOptions {QStringLiteral("root")};
    ArgParser p(verb->flags, verb->values + storeOptions);
    StoreCommands common(m_console);
    if (const auto bad = common.parse(p, QStringLiteral("podman"), cmd, *verb, storeOptions, args.mid(1)))
        return *bad;
    auto store = PodmanStore::open(p.value(QStringLiteral("root")));
    if (!store)
        return m_console.failure(store.error().message);
    Out::warnProblems(m_console, store->problems());
    const bool json = p.isSet(QStringLiteral("json"));
    const QStringList operands = p.positionals() + p.rest();
    if (cmd == QLatin1String("images"))
        return images(*store, json);
    if (cmd == QLatin1String("layers"))
        return layers(*store, operands.at(0), json);
    if (cmd == QLatin1String("containers"))
        return containers(*store, json);
    if (cmd == QLatin1String("diff")) {
        const auto c = store->containerIndex(operands.at(0));
        if (!c)
            return m_console.failure(c.error().message);
        return common.diff(store->containerAt(*c), PodmanDiff::compute(*store, *c), json);
    }
    return common.common(cmd, *store, p).value_or(Console::Usage);
}

int PodmanCommands::images(const PodmanStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", store.root()).key("images").beginArray();
        for (const PodmanImage &img : store.images()) {
            w.beginObject().field("id", img.id).field("tags", img.tags).field("digests", img.digests);
            w.field("names", img.names).fieldOrNull("created", img.created).field("layers", img.diffIds.size());
            w.key("size").countOrNull(img.size).key("parent").null().field("user", img.user);
            w.field("dangling", img.isDangling()).fieldOrNull("top_layer", img.topLayer);
            w.fieldOrNull("manifest_digest", img.manifestDigest).field("config_file", img.configFile);
            w.fieldOrNull("error", img.error).field("problems", img.problems).endObject();
        }
        w.endArray();
        return Out::endListing(m_console, w, out, store.problems());
    }
    int width = 10;
    for (const PodmanImage &img : store.images()) {
        for (const QString &t : img.tags)
            width = std::max(width, static_cast<int>(t.size()));
    }
    QString out = Out::pad(QStringLiteral("NAME"), width + 2)
        + QStringLiteral("IMAGE ID      CREATED              LAYERS  SIZE\n");
    for (const PodmanImage &img : store.images()) {
        for (const QString &t : img.tags.isEmpty() ? QStringList {QStringLiteral("<none>")} : img.tags) {
            out += Out::pad(t, width + 2) + Out::pad(img.shortId(), 14);
            if (!img.error.isEmpty() && img.diffIds.isEmpty()) {
                out += QStringLiteral("(unreadable: see the warnings)\n");
                continue;
            }
            out += Out::pad(img.created.left(19).replace(QLatin1Char('T'), QLatin1Char(' ')), 21)
                + Out::pad(QString::number(store.imageLayerCount(store.indexOf(img))), 8) + Out::humanSize(img.size)
                + QLatin1Char('\n');
        }
    }
    return m_console.printed(out);
}

int PodmanCommands::layers(const PodmanStore &store, const QString &ref, bool json)
{
    const auto i = store.imageIndex(ref);
    if (!i)
        return m_console.failure(i.error().message);
    const PodmanImage &img = store.imageAt(*i);
    const QVector<PodmanLayer> &layers = store.imageLayers(*i);
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", store.root()).field("id", img.id).field("tags", img.tags);
        w.field("user", img.user).key("layers").beginArray();
        QStringList below; // top first, as the layer's lower file names them
        for (const PodmanLayer &l : layers) {
            writeLayer(w, l, below);
            below.prepend(l.alias.isEmpty() ? l.cacheId : l.alias);
        }
        w.endArray();
        Out::writeImageEnd(w, img);
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out
        = QStringLiteral("image %1 (%2), %3 layers, bottom first:\n").arg(img.displayName(), img.id).arg(layers.size());
    out += QStringLiteral("  #  LAYER ID      SIZE      CREATED BY\n");
    for (const PodmanLayer &l : layers) {
        out += QStringLiteral("%1  ").arg(l.index, 3) + Out::pad(l.cacheId.left(12), 14)
            + Out::pad(Out::humanSize(l.size), 10) + Out::layerRowEnd(l);
    }
    return m_console.printed(out + Out::historySection(img.history));
}

int PodmanCommands::containers(const PodmanStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("root", store.root()).key("containers").beginArray();
        for (const PodmanContainer &c : store.containers())
            writeContainer(w, c);
        w.endArray();
        return Out::endListing(m_console, w, out, store.problems());
    }
    QString out
        = QStringLiteral("CONTAINER ID  NAME                  IMAGE                                     STATUS\n");
    for (const PodmanContainer &c : store.containers()) {
        out += Out::pad(c.shortId(), 14) + Out::pad(c.name, 22) + Out::pad(c.imageName(), 42) + c.status
            + QLatin1Char('\n');
        out += Out::containerLines(c);
    }
    return m_console.printed(out);
}

} // namespace strata
