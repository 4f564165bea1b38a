// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercommands.h"

#include "app/strata/analyzecommands.h"
#include "app/strata/argparser.h"
#include "app/strata/storeoutput.h"
#include "core/image/docker/dockerdiff.h"
#include "core/image/docker/dockerexplain.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/docker/dockersearch.h"
#include "core/util/background.h"
#include "core/util/jsonwriter.h"
#include "core/util/scancontrol.h"

#include <QDateTime>
#include <QHash>
#include <QSemaphore>

namespace strata
{

namespace
{

using Out = StoreOutput;

std::string utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

QString shortTime(const QString &rfc3339)
{
    const QDateTime t = QDateTime::fromString(rfc3339.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    return t.isValid() ? t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : rfc3339;
}

// Bytes shown in a terminal: control characters and invalid UTF-8 as \xNN.
QString printable(const QByteArray &b)
{
    QString out;
    const QString s = QString::fromUtf8(b);
    if (s.toUtf8() != b) {
        for (const char c : b) {
            const auto u = static_cast<unsigned char>(c);
            out += u >= 0x20 && u < 0x7f ? QString(QLatin1Char(c))
                                         : QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
        }
        return out;
    }
    for (const QChar c : s)
        out += c.unicode() < 0x20 || c.unicode() == 0x7f
            ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
            : QString(c);
    return out;
}

// One hit of `docker find` / `docker grep` for people.
QString hitText(const SearchHit &h, bool grep)
{
    QString owner = h.images.join(QStringLiteral(", "));
    if (!h.container.isEmpty())
        owner = h.container;
    if (owner.isEmpty())
        owner = QStringLiteral("used by no image");
    QString line;
    if (grep) {
        line = h.binary ? QStringLiteral("%1  %2: binary file matches").arg(h.cacheId.left(12), printable(h.path))
                        : QStringLiteral("%1  %2:%3: %4")
                              .arg(h.cacheId.left(12), printable(h.path))
                              .arg(h.line)
                              .arg(printable(h.text));
    } else {
        QString kind = entryTypeName(h.type);
        if (h.opaque)
            kind += QStringLiteral(" (opaque)");
        line = h.cacheId.left(12) + QStringLiteral("  ") + Out::pad(kind, 14) + printable(h.path);
    }
    return line + QStringLiteral("  [") + h.role + QStringLiteral(": ") + owner + QStringLiteral("]\n");
}

void writeHit(JsonWriter &w, const SearchHit &h, bool grep)
{
    w.beginObject().path("path", h.path).field("cache_id", h.cacheId).field("dir", h.dir);
    w.field("kind", entryTypeName(h.type)).field("opaque", h.opaque).field("size", h.size);
    w.field("role", h.role).field("images", h.images).fieldOrNull("container", h.container);
    if (grep) {
        w.field("line", h.line).field("offset", h.offset).field("binary", h.binary);
        w.path("text", h.text);
    }
    w.endObject();
}

void writeFinding(JsonWriter &w, const PathExplanation::Finding &f)
{
    w.beginObject().field("index", f.index).field("name", f.name).field("role", f.role).field("dir", f.dir);
    w.field("cache_id", f.cacheId).key("image_layer");
    if (f.imageLayer >= 0)
        w.value(f.imageLayer);
    else
        w.null();
    w.fieldOrNull("created_by", f.createdBy).field("present", f.present);
    if (f.present) {
        w.field("type", entryTypeName(f.type)).field("size", f.size).field("mode", modeString(f.type, f.mode));
        if (f.type == EntryType::Symlink)
            w.path("target", f.target);
        if (f.opaque)
            w.field("opaque", true);
    }
    w.field("status", f.status).field("note", f.note).endObject();
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

// Streams the hits of a search: JSON or lines, written out in blocks.
class SearchPrinter final
{
public:
    SearchPrinter(Console &console, bool grep, bool json) : m_console(console), m_grep(grep), m_jsonOut(json) { }
    SearchPrinter(const SearchPrinter &) = delete;
    SearchPrinter &operator=(const SearchPrinter &) = delete;

    void begin(const QString &root, const QString &what)
    {
        if (!m_jsonOut)
            return;
        m_json.beginObject().field("root", root);
        m_grep ? m_json.field("text", what) : m_json.field("pattern", what);
        m_json.key("matches").beginArray(JsonWriter::Layout::Lines);
    }
    bool hit(const SearchHit &h)
    {
        if (m_jsonOut)
            writeHit(m_json, h, m_grep);
        else
            m_buf += utf8(hitText(h, m_grep));
        if (m_buf.size() > 64 * 1024)
            flush();
        return true;
    }
    void end(const ScanControl &control, const DockerProblems &problems)
    {
        if (m_jsonOut) {
            m_json.endArray().key("searched").beginObject();
            m_json.field("files", control.entries()).field("directories", control.directories()).endObject();
            m_json.key("problems");
            Out::writeProblems(m_json, problems);
            m_json.endObject();
            m_buf += '\n';
        }
        flush();
    }
    void flush()
    {
        m_console.write(m_buf);
        m_buf.clear();
    }

private:
    Console &m_console;
    bool m_grep;
    bool m_jsonOut;
    std::string m_buf;
    JsonWriter m_json {m_buf};
};

} // namespace

DockerCommands::DockerCommands(Console &console)
    : SubcommandFamily(console,
        QStringLiteral("docker"),
        QStringLiteral("Docker hosts:\n"
                       "  docker images|layers|containers|diff|find|grep|explain|analyze ... [--root DIR] [--json]\n"
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
        "without the daemon. Nothing under the root is ever written or mounted.\n"
        "\n"
        "Commands:\n"
        "  images [--all]          images, like `docker images` (--all: also intermediate build images)\n"
        "  layers REF              an image's layers, bottom first: diff ID, chain ID, overlay2\n"
        "                          directory, l/ short link, size, and the instruction that made it\n"
        "  containers              containers with their upper, init, merged and lower directories\n"
        "  diff CTR                what a container changed: the A/C/D lines of `docker diff`\n"
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
        = opening(args, QStringLiteral("images, layers, containers, diff, find, grep, explain, analyze")))
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

    auto host = DockerHost::open(p.value(QStringLiteral("root")));
    if (!host)
        return m_console.failure(host.error().message);
    const bool asJson = p.isSet(json);
    warnProblems(*host);

    if (cmd == QLatin1String("images"))
        return images(*host, asJson, p.isSet(QStringLiteral("all")));
    if (cmd == QLatin1String("layers")) {
        const auto img = host->findImage(positionals.at(0));
        return img ? layers(*host, **img, asJson) : m_console.failure(img.error().message);
    }
    if (cmd == QLatin1String("containers"))
        return containers(*host, asJson);
    if (cmd == QLatin1String("diff")) {
        const auto c = host->findContainer(positionals.at(0));
        return c ? diff(*host, **c, asJson) : m_console.failure(c.error().message);
    }
    if (cmd == QLatin1String("find") || cmd == QLatin1String("grep"))
        return search(*host,
            Search {cmd == QLatin1String("grep"),
                positionals.at(0),
                p.value(in),
                asJson,
                p.isSet(QStringLiteral("progress"))});
    return explain(*host, positionals.at(0), positionals.at(1), asJson);
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
        w.endArray().key("history").beginArray();
        for (const DockerHistoryEntry &h : img.history)
            Out::writeHistory(w, h);
        w.endArray().field("history_matches", img.historyMatches).fieldOrNull("error", img.error);
        w.field("problems", img.problems).endObject();
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
            + (l.historyIndex >= 0 ? l.createdBy : QStringLiteral("(unknown)")) + QLatin1Char('\n');
        if (!l.diffDir.isEmpty())
            out += QStringLiteral("     ") + l.diffDir + QLatin1Char('\n');
        for (const QString &pr : l.problems)
            out += QStringLiteral("     problem: ") + pr + QLatin1Char('\n');
    }
    out += QStringLiteral("history, oldest first:\n");
    for (const DockerHistoryEntry &h : img.history)
        out += StoreOutput::historyLine(h);
    return m_console.printed(out);
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

int DockerCommands::diff(const DockerHost &host, const DockerContainer &c, bool json)
{
    auto diff = DockerDiff::compute(host, c);
    if (!diff)
        return m_console.failure(diff.error().message);
    std::string out;
    if (!json) {
        m_console.warn(diff->warnings);
        for (const DockerChange &ch : diff->changes) {
            out += ch.letter();
            out += ' ';
            out += utf8(printable(ch.path));
            out += '\n';
        }
        m_console.write(out);
        return Console::Success;
    }
    JsonWriter w(out);
    w.beginObject().field("container", c.id).field("name", c.name).field("upper_dir", c.upperDir);
    w.field("warnings", diff->warnings).key("changes").beginArray(JsonWriter::Layout::Lines);
    for (const DockerChange &ch : diff->changes) {
        const char kind[] = {ch.letter(), '\0'};
        w.beginObject().path("path", ch.path).field("kind", kind).endObject();
    }
    w.endArray().endObject();
    m_console.write(out + '\n');
    return Console::Success;
}

int DockerCommands::search(const DockerHost &host, const Search &s)
{
    DockerSearch search(host);
    if (!s.in.isEmpty()) {
        QStringList only;
        if (auto c = host.findContainer(s.in)) {
            for (const QString &d : (*c)->lowerDirs)
                only << d.section(QLatin1Char('/'), -2, -2);
            only << (*c)->mountId;
        } else if (auto i = host.findImage(s.in)) {
            for (const DockerImageLayer &l : host.imageLayers(**i))
                only << l.cacheId;
        } else {
            return m_console.failure(QStringLiteral("--in: no container or image named \"%1\"").arg(s.in));
        }
        search.setOnly(only);
    }
    SearchPrinter printer(m_console, s.grep, s.json);
    printer.begin(host.root(), s.what);
    const DockerSearch::Sink sink = [&printer](const SearchHit &h) {
        return printer.hit(h);
    };
    ScanControl control;
    auto work = [&] {
        return s.grep ? search.grep(s.what.toUtf8(), sink, &control) : search.find(s.what, sink, &control);
    };
    Status st;
    if (s.progress) {
        // The search runs in the background; progress is polled from its counters.
        QSemaphore done;
        QFuture<Status> future = runInBackground([&work, &done] {
            Status result = work();
            done.release();
            return result;
        });
        while (!done.tryAcquire(1, 500)) {
            m_console.note(QStringLiteral("%1: %2 files, %3 directories searched")
                               .arg(s.grep ? QStringLiteral("grep") : QStringLiteral("find"))
                               .arg(control.entries())
                               .arg(control.directories()));
        }
        st = future.result();
    } else {
        st = work();
    }
    for (const DockerProblem &pr : search.problems())
        m_console.warn(pr.text());
    if (!st.ok()) {
        printer.flush();
        return m_console.failure(st.error().message);
    }
    printer.end(control, host.problems() + search.problems());
    return Console::Success;
}

int DockerCommands::explain(const DockerHost &host, const QString &ref, const QString &path, bool json)
{
    auto x = DockerExplain::explain(host, ref, path);
    if (!x)
        return m_console.failure(x.error().message);
    if (json) {
        std::string out;
        JsonWriter w(out);
        w.beginObject().field("kind", x->kind).field("id", x->id).field("name", x->name).path("path", x->path);
        w.field("visible", x->visible).key("type");
        x->winner >= 0 ? w.value(entryTypeName(x->type)) : w.null();
        w.key("winner");
        x->winner >= 0 ? w.value(x->winner) : w.null();
        w.fieldOrNull("merged_dir", x->mergedDir).key("layers").beginArray(JsonWriter::Layout::Lines);
        for (const PathExplanation::Finding &f : x->layers)
            writeFinding(w, f);
        w.endArray().field("summary", x->summary).field("warnings", x->warnings).endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    QString out;
    for (const QString &s : x->summary)
        out += s + QLatin1Char('\n');
    out += QStringLiteral("layers of %1 %2, top first:\n").arg(x->kind, x->name);
    for (const PathExplanation::Finding &f : x->layers) {
        QString head = QStringLiteral("  %1 ").arg(f.index, 2) + Out::pad(f.name, 28);
        QString what = f.present ? modeString(f.type, f.mode) : QStringLiteral("-");
        out += head + Out::pad(what, 12) + Out::pad(f.status, 20) + f.note + QLatin1Char('\n');
        if (!f.createdBy.isEmpty())
            out += QStringLiteral("       made by: ") + f.createdBy + QLatin1Char('\n');
    }
    m_console.warn(x->warnings);
    return m_console.printed(out);
}

} // namespace strata
