// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagecommands.h"

#include "app/strata/analyzecommands.h"
#include "app/strata/argparser.h"
#include "app/strata/searchoutput.h"
#include "app/strata/storeoutput.h"
#include "core/image/archive/archiveextractor.h"
#include "core/image/archive/archivestore.h"
#include "core/image/archive/imagecommitter.h"
#include "core/image/layersearch.h"
#include "core/image/pathexplainer.h"
#include "core/merge/mergedtree.h"
#include "core/merge/treewriter.h"
#include "core/util/jsonwriter.h"

#include <QHash>

namespace strata
{

namespace
{

using Out = StoreOutput;

void writeImage(JsonWriter &w, const ArchiveImage &img)
{
    w.beginObject().fieldOrNull("ref", img.ref).field("tags", img.tags);
    w.fieldOrNull("manifest_digest", img.manifestDigest).field("config_digest", img.configDigest);
    w.field("id", img.id).fieldOrNull("platform", img.platform).fieldOrNull("created", img.created);
    w.field("layers", img.layers.size()).key("size").countOrNull(img.size);
    w.fieldOrNull("error", img.error).field("problems", img.problems).endObject();
}

void writeLayer(JsonWriter &w, const ArchiveLayer &l, const ArchiveStore::LayerCheck &check)
{
    w.beginObject().field("index", l.index).field("diff_id", l.diffId).field("chain_id", l.chainId);
    w.fieldOrNull("digest", l.digest.isEmpty() ? check.info.digest : l.digest);
    w.fieldOrNull("media_type", l.mediaType).field("compression", l.compression);
    w.key("size")
        .countOrNull(l.size)
        .key("uncompressed_size")
        .countOrNull(check.info.complete ? check.info.uncompressedSize : -1);
    w.key("entries").countOrNull(check.info.complete ? check.info.entries : -1);
    w.field("member", l.member);
    StoreOutput::writeMadeBy(w, l.createdBy, l.createdByRaw, l.historyIndex);
    w.field("verified", check.info.complete && check.problems.isEmpty() && l.problems.isEmpty());
    w.field("problems", l.problems + check.problems).endObject();
}

void writeExtracted(JsonWriter &w, const ArchiveExtractor::Layer &l)
{
    const LayerExtractor::Summary &s = l.summary;
    w.beginObject().field("index", l.index).field("diff_id", l.diffId).path("dir", l.dir);
    w.field("entries", s.info.entries).field("files", s.files).field("directories", s.directories);
    w.field("symlinks", s.symlinks).field("hardlinks", s.hardlinks).field("whiteouts", s.whiteouts);
    w.field("opaque", s.opaque).field("others", s.others).field("bytes", s.bytes);
    w.field("verified", s.info.complete && l.problems.isEmpty());
    w.field("refused", s.refused).field("warnings", s.warnings).field("problems", l.problems).endObject();
}

} // namespace

ImageCommands::ImageCommands(Console &console)
    : SubcommandFamily(console,
        QStringLiteral("image"),
        QStringLiteral("Image archives:\n"
                       "  image images|layers|tree|analyze ARCHIVE [--image REF] [--json]\n"
                       "                               a docker save or OCI image read in place\n"
                       "  image find GLOB|grep TEXT|explain PATH ARCHIVE [--image REF] [--json]\n"
                       "                               which layers hold a path, or text; why a path is\n"
                       "                               seen or hidden (nothing extracted)\n"
                       "  image extract ARCHIVE DIR [--image REF] [--json]\n"
                       "                               unpacked as an overlay stack to mount and edit\n"
                       "  image commit WS --out FILE [--tag NAME:TAG] [--json]\n"
                       "                               an extracted stack saved back, docker load-able\n"
                       "                               (strata image --help)\n"),
        usage())
{
}

QString ImageCommands::usage()
{
    return QStringLiteral(
        "Usage: strata image COMMAND ARCHIVE [--image REF] [--json]\n"
        "\n"
        "ARCHIVE is a `docker save` tar (Docker 24 and older, or 25 and later), an OCI image layout\n"
        "directory or an OCI layout tar (oci-archive); layers uncompressed, gzip or zstd. The format\n"
        "and the compression are told from the bytes, never from a name. Only extract writes.\n"
        "\n"
        "Commands:\n"
        "  images ARCHIVE          the images in the archive: name, manifest and config digests\n"
        "  layers ARCHIVE          an image's layers, bottom first: diff ID, blob digest, media type,\n"
        "                          compression, size and the instruction that made each; every layer\n"
        "                          is read and checked against its diff ID and digest\n"
        "  tree ARCHIVE [--layer N] [--visible]\n"
        "                          the image's merged view with provenance, as `strata tree` shows an\n"
        "                          overlay (--layer N: that layer alone, whiteouts as they are;\n"
        "                          --visible: only what a container would see)\n"
        "  find GLOB ARCHIVE       which layers of the image hold a path (GLOB matches the name, or\n"
        "                          the whole path when it has a '/'), whiteouts and opaque\n"
        "                          directories included, as `strata docker find` (nothing extracted)\n"
        "  grep TEXT ARCHIVE [--progress]\n"
        "                          the files of the image's layers that hold TEXT, as `strata docker\n"
        "                          grep`: each layer tar is read once, in place\n"
        "  explain PATH ARCHIVE    PATH in the image: every layer that has it, which copy is seen,\n"
        "                          and which layer's whiteout or opaque directory hides the rest\n"
        "  extract ARCHIVE DIR     the image unpacked into DIR (new or empty) as an overlay stack:\n"
        "                          DIR/layers/N per layer (0 at the bottom) with overlay's whiteouts\n"
        "                          and opaque directories, upper, work, merged and stratascope.json;\n"
        "                          `strata mount DIR` or `stratascope DIR` open it. Members that would\n"
        "                          leave DIR (.., absolute names, through or to links) are refused\n"
        "                          and named, and the command exits 1\n"
        "  commit WS --out FILE [--overlay NAME] [--tag NAME:TAG]\n"
        "                          a stack made by extract saved as a `docker load`-able archive: the\n"
        "                          image's layers, the overlay's upper as a new top layer (whiteouts\n"
        "                          as .wh.NAME, opaque directories as .wh..wh..opq) and a history\n"
        "                          entry \"strata commit\"\n"
        "  analyze ARCHIVE [--json] [--ci] [--ci-config FILE] [--lowest-efficiency R]\n"
        "          [--highest-wasted-bytes N] [--highest-user-wasted-percent R]\n"
        "                          the image's waste exactly as dive figures it, per layer what it\n"
        "                          changed (--changes: the changes themselves); --ci: dive's CI\n"
        "                          rules, exit 1 when one fails\n"
        "                          (docs/analysis.md)\n"
        "\n"
        "Options:\n"
        "  --image REF  the image to read (name:tag, a digest or ID prefix, or a platform os/arch);\n"
        "               by default the only one, or this host's platform of a multi-platform image\n"
        "  --json       machine-readable output (docs/cli.md)\n"
        "\n"
        "What cannot be read or does not match is reported as warnings; the rest is still shown.\n"
        "Exit status: 0 success, 1 the operation failed, 2 bad usage.\n");
}

int ImageCommands::run(const QString &, const QStringList &args)
{
    if (const auto done
        = opening(args, QStringLiteral("images, layers, tree, find, grep, explain, extract, commit, analyze")))
        return *done;
    const QString cmd = args.first();
    if (cmd == QLatin1String("analyze"))
        return AnalyzeCommands(m_console).runArchive(args.mid(1));
    const QString json = QStringLiteral("json");
    const QString image = QStringLiteral("image");
    const QHash<QString, QPair<QStringList, QStringList>> specs {
        {QStringLiteral("images"), {{json}, {}}},
        {QStringLiteral("layers"), {{json}, {image}}},
        {QStringLiteral("tree"), {{json, QStringLiteral("visible")}, {image, QStringLiteral("layer")}}},
        {QStringLiteral("find"), {{json}, {image}}},
        {QStringLiteral("grep"), {{json, QStringLiteral("progress")}, {image}}},
        {QStringLiteral("explain"), {{json}, {image}}},
        {QStringLiteral("extract"), {{json}, {image}}},
        {QStringLiteral("commit"), {{json}, {QStringLiteral("out"), QStringLiteral("tag"), QStringLiteral("overlay")}}},
    };
    const auto spec = specs.constFind(cmd);
    if (spec == specs.cend())
        return usageError(QStringLiteral("image: unknown command \"%1\"").arg(cmd));
    ArgParser p(spec->first, spec->second);
    if (!p.parse(args.mid(1)))
        return usageError(QStringLiteral("image %1: %2").arg(cmd, p.error()));
    if (cmd == QLatin1String("commit"))
        return commit(p);
    if (cmd == QLatin1String("find") || cmd == QLatin1String("grep") || cmd == QLatin1String("explain"))
        return search(cmd, p);
    const bool extracting = cmd == QLatin1String("extract");
    if (p.positionals().size() != (extracting ? 2 : 1))
        return usageError(QStringLiteral("usage: strata image %1 ARCHIVE%2 [--json]")
                              .arg(cmd, extracting ? QStringLiteral(" DIR") : QString()));
    auto store = ArchiveStore::open(p.positionals().first());
    if (!store)
        return m_console.failure(store.error().message);
    const bool asJson = p.isSet(json);
    if (!asJson)
        Out::warnProblems(m_console, (*store)->problems());
    if (cmd == QLatin1String("images"))
        return images(**store, asJson);
    auto selected = (*store)->select(p.value(image));
    if (!selected)
        return m_console.failure(selected.error().message);
    if (cmd == QLatin1String("layers"))
        return layers(**store, *selected, asJson);
    if (extracting)
        return extract(**store, *selected, p.positionals().at(1), asJson);
    return tree(**store, *selected, p);
}

int ImageCommands::images(const ArchiveStore &store, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("archive", store.root()).field("format", ArchiveStore::formatName(store.format()));
        w.key("images").beginArray();
        for (qsizetype i = 0; i < store.imageCount(); ++i)
            writeImage(w, store.archiveImage(i));
        w.endArray().key("problems");
        Out::writeProblems(w, store.problems());
        w.endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out = QStringLiteral("%1 (%2), %3 image(s)\n")
                      .arg(store.root(), ArchiveStore::formatName(store.format()))
                      .arg(store.imageCount());
    out += Out::pad(QStringLiteral("REF"), 32) + QStringLiteral("CONFIG        PLATFORM        LAYERS  SIZE\n");
    for (qsizetype i = 0; i < store.imageCount(); ++i) {
        const ArchiveImage &img = store.archiveImage(i);
        out += Out::pad(img.ref.isEmpty() ? QStringLiteral("<untagged>") : img.ref, 32) + Out::pad(img.shortId(), 14)
            + Out::pad(img.platform.isEmpty() ? QStringLiteral("?") : img.platform, 16)
            + Out::pad(QString::number(img.layers.size()), 8) + Out::humanSize(img.size) + QLatin1Char('\n');
    }
    return m_console.printed(out);
}

int ImageCommands::layers(const ArchiveStore &store, qsizetype image, bool json)
{
    const ArchiveImage &img = store.archiveImage(image);
    const QVector<ArchiveStore::LayerCheck> checks = store.verify(image);
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("archive", store.root()).field("format", ArchiveStore::formatName(store.format()));
        w.key("image");
        writeImage(w, img);
        w.key("layers").beginArray();
        for (qsizetype k = 0; k < img.layers.size(); ++k)
            writeLayer(w, img.layers.at(k), checks.at(k));
        w.endArray().key("history").beginArray();
        for (const HistoryEntry &h : img.history)
            Out::writeHistory(w, h);
        w.endArray().field("history_matches", img.historyMatches).key("problems");
        Out::writeProblems(w, store.problems());
        w.endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out = QStringLiteral("image %1 (%2), %3 layers, bottom first:\n")
                      .arg(img.displayName(), img.id)
                      .arg(img.layers.size());
    out += QStringLiteral("  #  DIFF ID       COMPRESSION  SIZE      CREATED BY\n");
    for (qsizetype k = 0; k < img.layers.size(); ++k) {
        const ArchiveLayer &l = img.layers.at(k);
        out += QStringLiteral("%1  ").arg(l.index, 3) + Out::pad(StoreImage::shortenId(l.diffId), 14)
            + Out::pad(l.compression, 13) + Out::pad(Out::humanSize(l.size), 10)
            + (l.historyIndex >= 0 ? l.createdBy : QStringLiteral("(unknown)")) + QLatin1Char('\n');
        for (const QString &pr : l.problems + checks.at(k).problems)
            out += QStringLiteral("     problem: ") + pr + QLatin1Char('\n');
    }
    out += QStringLiteral("history, oldest first:\n");
    for (const HistoryEntry &h : img.history)
        out += Out::historyLine(h);
    return m_console.printed(out);
}

int ImageCommands::tree(const ArchiveStore &store, qsizetype image, const ArgParser &p)
{
    const ArchiveImage &img = store.archiveImage(image);
    const bool json = p.isSet(QStringLiteral("json"));
    Result<MergeLayers> layers = store.imageMergeLayers(image);
    std::vector<int> indexes;
    if (p.isSet(QStringLiteral("layer"))) {
        bool ok = false;
        const int n = p.value(QStringLiteral("layer")).toInt(&ok);
        if (!ok || n < 0 || n >= img.layers.size())
            return usageError(QStringLiteral("image tree: --layer must be 0 to %1").arg(img.layers.size() - 1));
        layers = store.layerMergeLayers(image, n);
        indexes.push_back(n);
    } else {
        for (qsizetype k = img.layers.size() - 1; k >= 0; --k)
            indexes.push_back(static_cast<int>(k));
    }
    if (!layers)
        return m_console.failure(layers.error().message);
    auto merged = MergedTree::build(*layers, store.mergeOptions());
    if (!merged)
        return m_console.failure(QStringLiteral("image %1: %2").arg(img.displayName(), merged.error().message));
    if (!json)
        m_console.warn(merged->warnings()); // JSON has them in "warnings"
    TreeWriter::Options options;
    options.json = json;
    options.includeWhiteouts = !p.isSet(QStringLiteral("visible"));
    options.overlayName = img.displayName();
    options.workspaceFile = store.root();
    options.imageLayers = indexes;
    for (const int k : indexes)
        options.diffIds << img.layers.at(k).diffId;
    TreeWriter writer(*merged, options);
    if (!writer.write(m_console.out()))
        return m_console.failure(QStringLiteral("cannot write the output"));
    return Console::Success;
}

int ImageCommands::search(const QString &cmd, const ArgParser &p)
{
    const QStringList positionals = p.positionals() + p.rest(); // "--" ends options: grep -- -x ARCHIVE
    static const QHash<QString, QString> what {{QStringLiteral("find"), QStringLiteral("GLOB")},
        {QStringLiteral("grep"), QStringLiteral("TEXT")},
        {QStringLiteral("explain"), QStringLiteral("PATH")}};
    if (positionals.size() != 2)
        return usageError(
            QStringLiteral("usage: strata image %1 %2 ARCHIVE [--image REF] [--json]").arg(cmd, what.value(cmd)));
    auto store = ArchiveStore::open(positionals.at(1));
    if (!store)
        return m_console.failure(store.error().message);
    const bool json = p.isSet(QStringLiteral("json"));
    if (!json)
        Out::warnProblems(m_console, (*store)->problems());
    auto selected = (*store)->select(p.value(QStringLiteral("image")));
    if (!selected)
        return m_console.failure(selected.error().message);
    if (cmd == QLatin1String("explain"))
        return SearchOutput::explanation(
            m_console, PathExplainer::explainImage(**store, *selected, positionals.at(0)), json);
    LayerSearch search(**store);
    QStringList only;
    for (const ArchiveLayer &l : (*store)->archiveImage(*selected).layers)
        only << l.cacheId;
    search.setOnly(only);
    const bool grep = cmd == QLatin1String("grep");
    return SearchOutput::run(m_console,
        search,
        {grep, positionals.at(0), json, p.isSet(QStringLiteral("progress"))},
        (*store)->root(),
        (*store)->problems());
}

int ImageCommands::commit(const ArgParser &p)
{
    const QString out = p.value(QStringLiteral("out"));
    if (p.positionals().size() != 1 || out.isEmpty())
        return usageError(QStringLiteral("usage: strata image commit WS --out FILE [--overlay NAME] [--tag NAME:TAG]"));
    const QString tag = p.value(QStringLiteral("tag"));
    if (p.isSet(QStringLiteral("tag"))
        && (tag.isEmpty() || !tag.contains(QLatin1Char(':')) || tag.contains(QLatin1Char(' '))))
        return usageError(QStringLiteral("image commit: --tag must be NAME:TAG"));
    auto c = ImageCommitter::commit(p.positionals().first(), p.value(QStringLiteral("overlay")), out, tag);
    if (!c)
        return m_console.failure(QStringLiteral("image commit: %1").arg(c.error().message));
    if (p.isSet(QStringLiteral("json"))) {
        std::string text;
        JsonWriter w(text, JsonWriter::Style::Indented);
        w.beginObject().path("out", c->out).field("id", c->imageId).fieldOrNull("tag", c->tag);
        w.field("layers", c->layers).key("layer").beginObject().field("diff_id", c->diffId);
        w.field("size", c->layerSize).field("entries", c->top.entries).field("whiteouts", c->top.whiteouts);
        w.field("opaque", c->top.opaque).field("redirects", c->top.redirects).endObject();
        w.field("warnings", c->top.warnings).endObject();
        m_console.write(text + '\n');
        return Console::Success;
    }
    m_console.warn(c->top.warnings);
    return m_console.printed(QStringLiteral("%1: image %2 (%3 layers; the new one %4: %5 entries, %6 whiteouts, "
                                            "%7 opaque directories)\ndocker load -i %1\n")
                                 .arg(c->out, c->tag.isEmpty() ? c->imageId : c->tag)
                                 .arg(c->layers)
                                 .arg(c->diffId)
                                 .arg(c->top.entries)
                                 .arg(c->top.whiteouts)
                                 .arg(c->top.opaque));
}

int ImageCommands::extract(const ArchiveStore &store, qsizetype image, const QString &dir, bool json)
{
    const ArchiveImage &img = store.archiveImage(image);
    const ArchiveExtractor::Options options = ArchiveExtractor::defaultOptions();
    auto x = ArchiveExtractor::extract(store, image, dir, options);
    if (!x)
        return m_console.failure(QStringLiteral("image extract: %1").arg(x.error().message));
    const QStringList refused = x->refused();
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("archive", store.root()).field("image", img.displayName()).field("id", img.id);
        w.path("dir", x->dir).path("workspace", x->workspace).field("overlay", x->overlay);
        w.field("xattrs", options.xattrs == XattrNamespace::User ? "user" : "trusted");
        w.key("layers").beginArray();
        for (const ArchiveExtractor::Layer &l : x->layers)
            writeExtracted(w, l);
        w.endArray().field("entries", x->entries()).field("refused", refused).field("warnings", x->warnings());
        w.endObject();
        m_console.write(out + '\n');
    } else {
        m_console.warn(x->warnings());
        m_console.warn(refused);
        m_console.print(QStringLiteral("%1: %2 layers, %3 entries unpacked into %4\n"
                                       "workspace %5 (overlay \"%6\"): strata mount %4\n")
                            .arg(img.displayName())
                            .arg(x->layers.size())
                            .arg(x->entries())
                            .arg(x->dir, x->workspace, x->overlay));
    }
    if (!refused.isEmpty())
        return m_console.failure(
            QStringLiteral("image extract: %1 member(s) refused (named above), not written").arg(refused.size()));
    return Console::Success;
}

} // namespace strata
