// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockercli.h"

#include "app/strata/argparser.h"

#include "core/image/docker/dockerdiff.h"
#include "core/image/docker/dockerexplain.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/docker/dockersearch.h"
#include "core/util/jsonstring.h"
#include "core/util/scancontrol.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace strata
{

namespace
{

std::string utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), static_cast<std::size_t>(b.size()));
}

void jsonString(std::string &out, const QString &s)
{
    appendJsonString(out, utf8(s));
}

// A path of bytes: "path" (invalid UTF-8 replaced) and, only then, "<key>_base64" with the bytes.
void jsonPath(std::string &out, const char *key, const QByteArray &path)
{
    out += '"';
    out += key;
    out += "\":";
    appendJsonString(out, view(path));
    if (!isValidUtf8(view(path))) {
        out += ",\"";
        out += key;
        out += "_base64\":\"";
        out += base64(view(path));
        out += '"';
    }
}

void jsonStrings(std::string &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        jsonString(out, list.at(i));
    }
    out += ']';
}

void jsonProblems(std::string &out, const DockerProblems &problems)
{
    out += '[';
    for (qsizetype i = 0; i < problems.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"path\":";
        jsonString(out, problems.at(i).path);
        out += ",\"message\":";
        jsonString(out, problems.at(i).message);
        out += '}';
    }
    out += ']';
}

QJsonArray problemsArray(const DockerProblems &problems)
{
    QJsonArray a;
    for (const DockerProblem &p : problems)
        a.append(QJsonObject {{QStringLiteral("path"), p.path}, {QStringLiteral("message"), p.message}});
    return a;
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue sizeValue(qint64 size)
{
    return size < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(static_cast<double>(size));
}

// Sizes as `docker images` prints them: decimal units, three significant digits.
QString humanSize(qint64 size)
{
    if (size < 0)
        return QStringLiteral("?");
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = static_cast<double>(size);
    int u = 0;
    while (v >= 1000.0 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    return QString::number(v, 'g', 3) + QLatin1String(units[u]);
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

// Left-justified in a column, and always followed by at least one space.
QString pad(const QString &s, int width)
{
    return s.size() >= width ? s + QLatin1Char(' ') : s.leftJustified(width, QLatin1Char(' '));
}

} // namespace

DockerCli::DockerCli(QIODevice &out, QIODevice &err) : m_out(out), m_err(err)
{
}

QString DockerCli::usage()
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

void DockerCli::print(const QString &text)
{
    m_out.write(text.toUtf8());
}

void DockerCli::write(const std::string &bytes)
{
    m_out.write(bytes.data(), static_cast<qint64>(bytes.size()));
}

int DockerCli::usageError(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\nTry 'strata docker --help'.\n").arg(message).toUtf8());
    return 2;
}

int DockerCli::failure(const QString &message)
{
    m_err.write(QStringLiteral("strata: %1\n").arg(message).toUtf8());
    return 1;
}

void DockerCli::warnProblems(const DockerHost &host)
{
    constexpr qsizetype Max = 50;
    const DockerProblems &ps = host.problems();
    for (qsizetype i = 0; i < ps.size() && i < Max; ++i)
        m_err.write(QStringLiteral("strata: warning: %1\n").arg(ps.at(i).text()).toUtf8());
    if (ps.size() > Max)
        m_err.write(QStringLiteral("strata: warning: ... and %1 more (see --json)\n").arg(ps.size() - Max).toUtf8());
}

int DockerCli::run(const QStringList &args)
{
    if (args.isEmpty())
        return usageError(
            QStringLiteral("docker: missing command (images, layers, containers, diff, find, grep, explain)"));
    const QString cmd = args.first();
    if (cmd == QLatin1String("--help") || cmd == QLatin1String("-h") || cmd == QLatin1String("help")
        || args.contains(QStringLiteral("--help"))) {
        print(usage());
        return 0;
    }
    struct Spec {
        int positionals;
        QStringList flags;
        QStringList values;
        QString synopsis;
    };
    const QStringList common {QStringLiteral("json")};
    const QHash<QString, Spec> specs {
        {QStringLiteral("images"),
            {0, common + QStringList {QStringLiteral("all")}, {}, QStringLiteral("images [--all]")}},
        {QStringLiteral("layers"), {1, common, {}, QStringLiteral("layers REF")}},
        {QStringLiteral("containers"), {0, common, {}, QStringLiteral("containers")}},
        {QStringLiteral("diff"), {1, common, {}, QStringLiteral("diff CTR")}},
        {QStringLiteral("find"), {1, common, {QStringLiteral("in")}, QStringLiteral("find GLOB [--in REF]")}},
        {QStringLiteral("grep"),
            {1,
                common + QStringList {QStringLiteral("progress")},
                {QStringLiteral("in")},
                QStringLiteral("grep TEXT [--in REF] [--progress]")}},
        {QStringLiteral("explain"), {2, common, {}, QStringLiteral("explain REF PATH")}},
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
        return failure(host.error().message);
    const bool json = p.isSet(QStringLiteral("json"));
    warnProblems(*host);

    if (cmd == QLatin1String("images"))
        return cmdImages(*host, json, p.isSet(QStringLiteral("all")));
    if (cmd == QLatin1String("layers"))
        return cmdLayers(*host, positionals.at(0), json);
    if (cmd == QLatin1String("containers"))
        return cmdContainers(*host, json);
    if (cmd == QLatin1String("diff"))
        return cmdDiff(*host, positionals.at(0), json);
    if (cmd == QLatin1String("find") || cmd == QLatin1String("grep"))
        return cmdSearch(*host,
            cmd == QLatin1String("grep"),
            positionals.at(0),
            p.value(QStringLiteral("in")),
            json,
            p.isSet(QStringLiteral("progress")));
    return cmdExplain(*host, positionals.at(0), positionals.at(1), json);
}

int DockerCli::cmdImages(const DockerHost &host, bool json, bool all)
{
    QVector<const DockerImage *> shown;
    for (const DockerImage &img : host.images()) {
        // `docker images` leaves out untagged images that are parents of others (build steps).
        if (!all && img.isDangling() && img.hasChildren)
            continue;
        shown << &img;
    }
    if (json) {
        QJsonArray arr;
        for (const DockerImage *img : shown) {
            QJsonObject o {{QStringLiteral("id"), img->id},
                {QStringLiteral("tags"), QJsonArray::fromStringList(img->tags)},
                {QStringLiteral("digests"), QJsonArray::fromStringList(img->digests)},
                {QStringLiteral("created"), orNull(img->created)},
                {QStringLiteral("layers"), static_cast<int>(img->diffIds.size())},
                {QStringLiteral("size"), sizeValue(img->size)},
                {QStringLiteral("parent"), orNull(img->parentId)},
                {QStringLiteral("user"), img->user},
                {QStringLiteral("dangling"), img->isDangling()},
                {QStringLiteral("error"), orNull(img->error)},
                {QStringLiteral("problems"), QJsonArray::fromStringList(img->problems)}};
            arr.append(o);
        }
        const QJsonObject top {{QStringLiteral("root"), host.root()},
            {QStringLiteral("images"), arr},
            {QStringLiteral("problems"), problemsArray(host.problems())}};
        m_out.write(QJsonDocument(top).toJson(QJsonDocument::Indented));
        return 0;
    }
    QStringList names;
    int width = 10;
    for (const DockerImage *img : shown) {
        for (const QString &t : img->tags.isEmpty() ? QStringList {QStringLiteral("<none>:<none>")} : img->tags) {
            names << t;
            width = std::max(width, static_cast<int>(t.size()));
        }
    }
    QString out = pad(QStringLiteral("REPOSITORY:TAG"), width + 2)
        + QStringLiteral("IMAGE ID      CREATED              LAYERS  SIZE\n");
    for (const DockerImage *img : shown) {
        for (const QString &t : img->tags.isEmpty() ? QStringList {QStringLiteral("<none>:<none>")} : img->tags) {
            out += pad(t, width + 2) + pad(img->shortId(), 14);
            if (!img->error.isEmpty()) {
                out += QStringLiteral("(unreadable: see the warnings)\n");
                continue;
            }
            out += pad(shortTime(img->created), 21) + pad(QString::number(img->diffIds.size()), 8)
                + humanSize(img->size) + QLatin1Char('\n');
        }
    }
    print(out);
    return 0;
}

int DockerCli::cmdLayers(const DockerHost &host, const QString &ref, bool json)
{
    auto found = host.findImage(ref);
    if (!found)
        return failure(found.error().message);
    const DockerImage &img = **found;
    if (!img.error.isEmpty() && img.diffIds.isEmpty())
        return failure(QStringLiteral("image %1: %2").arg(img.displayName(), img.error));
    const QVector<DockerImageLayer> layers = host.imageLayers(img);
    if (json) {
        QJsonArray ls;
        for (const DockerImageLayer &l : layers) {
            ls.append(QJsonObject {{QStringLiteral("index"), l.index},
                {QStringLiteral("diff_id"), l.diffId},
                {QStringLiteral("chain_id"), l.chainId},
                {QStringLiteral("cache_id"), orNull(l.cacheId)},
                {QStringLiteral("dir"), orNull(l.dir)},
                {QStringLiteral("diff_dir"), orNull(l.diffDir)},
                {QStringLiteral("link"), orNull(l.link)},
                {QStringLiteral("lower"), QJsonArray::fromStringList(l.lower)},
                {QStringLiteral("lower_links"), QJsonArray::fromStringList(l.lowerLinks)},
                {QStringLiteral("committed"), l.committed},
                {QStringLiteral("created_by"),
                    l.historyIndex >= 0 ? QJsonValue(l.createdBy) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("created_by_raw"),
                    l.historyIndex >= 0 ? QJsonValue(l.createdByRaw) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("history_index"),
                    l.historyIndex >= 0 ? QJsonValue(l.historyIndex) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("size"), sizeValue(l.size)},
                {QStringLiteral("problems"), QJsonArray::fromStringList(l.problems)}});
        }
        QJsonArray hs;
        for (const DockerHistoryEntry &h : img.history) {
            hs.append(QJsonObject {{QStringLiteral("created"), orNull(h.created)},
                {QStringLiteral("created_by"), h.createdBy},
                {QStringLiteral("created_by_raw"), h.createdByRaw},
                {QStringLiteral("comment"), h.comment},
                {QStringLiteral("empty_layer"), h.emptyLayer},
                {QStringLiteral("layer_index"),
                    h.layerIndex >= 0 ? QJsonValue(h.layerIndex) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("image_id"), orNull(h.imageId)}});
        }
        const QJsonObject top {{QStringLiteral("root"), host.root()},
            {QStringLiteral("id"), img.id},
            {QStringLiteral("tags"), QJsonArray::fromStringList(img.tags)},
            {QStringLiteral("user"), img.user},
            {QStringLiteral("layers"), ls},
            {QStringLiteral("history"), hs},
            {QStringLiteral("history_matches"), img.historyMatches},
            {QStringLiteral("error"), orNull(img.error)},
            {QStringLiteral("problems"), QJsonArray::fromStringList(img.problems)}};
        m_out.write(QJsonDocument(top).toJson(QJsonDocument::Indented));
        return 0;
    }
    QString out
        = QStringLiteral("image %1 (%2), %3 layers, bottom first:\n").arg(img.displayName(), img.id).arg(layers.size());
    out += QStringLiteral("  #  CACHE ID      LINK                        SIZE      CREATED BY\n");
    for (const DockerImageLayer &l : layers) {
        out += QStringLiteral("%1  ").arg(l.index, 3)
            + pad(l.cacheId.isEmpty() ? QStringLiteral("?") : l.cacheId.left(12), 14)
            + pad(l.link.isEmpty() ? QStringLiteral("?") : l.link, 28) + pad(humanSize(l.size), 10)
            + (l.historyIndex >= 0 ? l.createdBy : QStringLiteral("(unknown)")) + QLatin1Char('\n');
        if (!l.diffDir.isEmpty())
            out += QStringLiteral("     ") + l.diffDir + QLatin1Char('\n');
        for (const QString &pr : l.problems)
            out += QStringLiteral("     problem: ") + pr + QLatin1Char('\n');
    }
    out += QStringLiteral("history, oldest first:\n");
    for (const DockerHistoryEntry &h : img.history) {
        out += QStringLiteral("  ")
            + pad(h.layerIndex >= 0 ? QStringLiteral("layer %1").arg(h.layerIndex)
                                    : (h.emptyLayer ? QStringLiteral("no layer") : QStringLiteral("layer ?")),
                10)
            + h.createdBy + QLatin1Char('\n');
    }
    print(out);
    return 0;
}

int DockerCli::cmdContainers(const DockerHost &host, bool json)
{
    if (json) {
        QJsonArray arr;
        for (const DockerContainer &c : host.containers()) {
            const bool mounted = c.running || (!c.mergedDir.isEmpty() && host.overlayDirs().value(c.mountId).hasMerged);
            arr.append(QJsonObject {{QStringLiteral("id"), c.id},
                {QStringLiteral("name"), c.name},
                {QStringLiteral("image_id"), orNull(c.imageId)},
                {QStringLiteral("image"), orNull(c.image)},
                {QStringLiteral("running"), c.running},
                {QStringLiteral("status"), orNull(c.status)},
                {QStringLiteral("user"), c.user},
                {QStringLiteral("mount_id"), orNull(c.mountId)},
                {QStringLiteral("init_id"), orNull(c.initId)},
                {QStringLiteral("upper_dir"), orNull(c.upperDir)},
                {QStringLiteral("init_dir"), orNull(c.initDir)},
                {QStringLiteral("merged_dir"), orNull(c.mergedDir)},
                {QStringLiteral("work_dir"), orNull(c.workDir)},
                {QStringLiteral("merged_mounted"), mounted},
                {QStringLiteral("lower_dirs"), QJsonArray::fromStringList(c.lowerDirs)},
                {QStringLiteral("error"), orNull(c.error)},
                {QStringLiteral("problems"), QJsonArray::fromStringList(c.problems)}});
        }
        const QJsonObject top {{QStringLiteral("root"), host.root()},
            {QStringLiteral("containers"), arr},
            {QStringLiteral("problems"), problemsArray(host.problems())}};
        m_out.write(QJsonDocument(top).toJson(QJsonDocument::Indented));
        return 0;
    }
    QString out
        = QStringLiteral("CONTAINER ID  NAME                  IMAGE                           STATUS      USER\n");
    for (const DockerContainer &c : host.containers()) {
        out += pad(c.shortId(), 14) + pad(c.name.isEmpty() ? QStringLiteral("?") : c.name, 22)
            + pad(c.image.isEmpty() ? c.imageId.mid(7, 12) : c.image, 32)
            + pad(c.status.isEmpty() ? QStringLiteral("?") : c.status, 12)
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
    print(out);
    return 0;
}

int DockerCli::cmdDiff(const DockerHost &host, const QString &ref, bool json)
{
    auto found = host.findContainer(ref);
    if (!found)
        return failure(found.error().message);
    const DockerContainer &c = **found;
    auto diff = DockerDiff::compute(host, c);
    if (!diff)
        return failure(diff.error().message);
    if (!json) {
        for (const QString &w : diff->warnings)
            m_err.write(QStringLiteral("strata: warning: %1\n").arg(w).toUtf8());
        std::string out;
        for (const DockerChange &ch : diff->changes) {
            out += ch.letter();
            out += ' ';
            out += utf8(printable(ch.path));
            out += '\n';
        }
        write(out);
        return 0;
    }
    std::string out = "{\"container\":";
    jsonString(out, c.id);
    out += ",\"name\":";
    jsonString(out, c.name);
    out += ",\"upper_dir\":";
    jsonString(out, c.upperDir);
    out += ",\"warnings\":";
    jsonStrings(out, diff->warnings);
    out += ",\"changes\":[";
    for (qsizetype i = 0; i < diff->changes.size(); ++i) {
        const DockerChange &ch = diff->changes.at(i);
        out += i ? ",\n{" : "\n{";
        jsonPath(out, "path", ch.path);
        out += ",\"kind\":\"";
        out += ch.letter();
        out += "\"}";
    }
    out += "]}\n";
    write(out);
    return 0;
}

int DockerCli::cmdSearch(
    const DockerHost &host, bool grep, const QString &what, const QString &in, bool json, bool progress)
{
    DockerSearch search(host);
    if (!in.isEmpty()) {
        QStringList only;
        if (auto c = host.findContainer(in)) {
            for (const QString &d : (*c)->lowerDirs)
                only << d.section(QLatin1Char('/'), -2, -2);
            only << (*c)->mountId;
        } else if (auto i = host.findImage(in)) {
            for (const DockerImageLayer &l : host.imageLayers(**i))
                only << l.cacheId;
        } else {
            return failure(QStringLiteral("--in: no container or image named \"%1\"").arg(in));
        }
        search.setOnly(only);
    }

    std::string buf;
    bool first = true;
    auto flush = [&] {
        if (!buf.empty()) {
            write(buf);
            buf.clear();
        }
    };
    if (json) {
        buf += "{\"root\":";
        jsonString(buf, host.root());
        buf += grep ? ",\"text\":" : ",\"pattern\":";
        jsonString(buf, what);
        buf += ",\"matches\":[";
    }
    const DockerSearch::Sink sink = [&](const SearchHit &h) {
        if (json) {
            buf += first ? "\n{" : ",\n{";
            first = false;
            jsonPath(buf, "path", h.path);
            buf += ",\"cache_id\":";
            jsonString(buf, h.cacheId);
            buf += ",\"dir\":";
            jsonString(buf, h.dir);
            buf += ",\"kind\":";
            jsonString(buf, entryTypeName(h.type));
            buf += ",\"opaque\":";
            buf += h.opaque ? "true" : "false";
            buf += ",\"size\":";
            buf += std::to_string(h.size);
            buf += ",\"role\":";
            jsonString(buf, h.role);
            buf += ",\"images\":";
            jsonStrings(buf, h.images);
            buf += ",\"container\":";
            if (h.container.isEmpty())
                buf += "null";
            else
                jsonString(buf, h.container);
            if (grep) {
                buf += ",\"line\":";
                buf += std::to_string(h.line);
                buf += ",\"offset\":";
                buf += std::to_string(h.offset);
                buf += ",\"binary\":";
                buf += h.binary ? "true" : "false";
                buf += ',';
                jsonPath(buf, "text", h.text);
            }
            buf += '}';
        } else {
            QString owner = h.images.join(QStringLiteral(", "));
            if (!h.container.isEmpty())
                owner = h.container;
            if (owner.isEmpty())
                owner = QStringLiteral("used by no image");
            QString line;
            if (grep) {
                line = h.binary
                    ? QStringLiteral("%1  %2: binary file matches").arg(h.cacheId.left(12), printable(h.path))
                    : QStringLiteral("%1  %2:%3: %4")
                          .arg(h.cacheId.left(12), printable(h.path))
                          .arg(h.line)
                          .arg(printable(h.text));
            } else {
                QString kind = entryTypeName(h.type);
                if (h.opaque)
                    kind += QStringLiteral(" (opaque)");
                line = h.cacheId.left(12) + QStringLiteral("  ") + pad(kind, 14) + printable(h.path);
            }
            buf += utf8(line + QStringLiteral("  [") + h.role + QStringLiteral(": ") + owner + QStringLiteral("]\n"));
        }
        if (buf.size() > 64 * 1024)
            flush();
        return true;
    };

    ScanControl control;
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::thread reporter;
    if (progress) {
        // Progress is polled from the counters, never pushed per file.
        reporter = std::thread([&] {
            std::unique_lock lock(mutex);
            while (!cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return done; })) {
                m_err.write(QStringLiteral("strata: %1: %2 files, %3 directories searched\n")
                                .arg(grep ? QStringLiteral("grep") : QStringLiteral("find"))
                                .arg(control.entries())
                                .arg(control.directories())
                                .toUtf8());
            }
        });
    }
    const Status st = grep ? search.grep(what.toUtf8(), sink, &control) : search.find(what, sink, &control);
    if (reporter.joinable()) {
        {
            std::lock_guard lock(mutex);
            done = true;
        }
        cv.notify_all();
        reporter.join();
    }
    for (const DockerProblem &pr : search.problems())
        m_err.write(QStringLiteral("strata: warning: %1\n").arg(pr.text()).toUtf8());
    if (!st.ok()) {
        flush();
        return failure(st.error().message);
    }
    if (json) {
        buf += "],\"searched\":{\"files\":";
        buf += std::to_string(control.entries());
        buf += ",\"directories\":";
        buf += std::to_string(control.directories());
        buf += "},\"problems\":";
        DockerProblems all = host.problems();
        all += search.problems();
        jsonProblems(buf, all);
        buf += "}\n";
    }
    flush();
    return 0;
}

int DockerCli::cmdExplain(const DockerHost &host, const QString &ref, const QString &path, bool json)
{
    auto x = DockerExplain::explain(host, ref, path);
    if (!x)
        return failure(x.error().message);
    if (json) {
        std::string out = "{\"kind\":";
        jsonString(out, x->kind);
        out += ",\"id\":";
        jsonString(out, x->id);
        out += ",\"name\":";
        jsonString(out, x->name);
        out += ',';
        jsonPath(out, "path", x->path);
        out += ",\"visible\":";
        out += x->visible ? "true" : "false";
        out += ",\"type\":";
        if (x->winner >= 0)
            jsonString(out, entryTypeName(x->type));
        else
            out += "null";
        out += ",\"winner\":";
        out += x->winner >= 0 ? std::to_string(x->winner) : std::string("null");
        out += ",\"merged_dir\":";
        if (x->mergedDir.isEmpty())
            out += "null";
        else
            jsonString(out, x->mergedDir);
        out += ",\"layers\":[";
        for (qsizetype i = 0; i < x->layers.size(); ++i) {
            const PathExplanation::Finding &f = x->layers.at(i);
            out += i ? ",\n{" : "\n{";
            out += "\"index\":" + std::to_string(f.index) + ",\"name\":";
            jsonString(out, f.name);
            out += ",\"role\":";
            jsonString(out, f.role);
            out += ",\"dir\":";
            jsonString(out, f.dir);
            out += ",\"cache_id\":";
            jsonString(out, f.cacheId);
            out += ",\"image_layer\":";
            out += f.imageLayer >= 0 ? std::to_string(f.imageLayer) : std::string("null");
            out += ",\"created_by\":";
            if (f.createdBy.isEmpty())
                out += "null";
            else
                jsonString(out, f.createdBy);
            out += ",\"present\":";
            out += f.present ? "true" : "false";
            if (f.present) {
                out += ",\"type\":";
                jsonString(out, entryTypeName(f.type));
                out += ",\"size\":" + std::to_string(f.size);
                out += ",\"mode\":";
                jsonString(out, modeString(f.type, f.mode));
                if (f.type == EntryType::Symlink) {
                    out += ',';
                    jsonPath(out, "target", f.target);
                }
                if (f.opaque)
                    out += ",\"opaque\":true";
            }
            out += ",\"status\":";
            jsonString(out, f.status);
            out += ",\"note\":";
            jsonString(out, f.note);
            out += '}';
        }
        out += "],\"summary\":";
        jsonStrings(out, x->summary);
        out += ",\"warnings\":";
        jsonStrings(out, x->warnings);
        out += "}\n";
        write(out);
        return 0;
    }
    QString out;
    for (const QString &s : x->summary)
        out += s + QLatin1Char('\n');
    out += QStringLiteral("layers of %1 %2, top first:\n").arg(x->kind, x->name);
    for (const PathExplanation::Finding &f : x->layers) {
        QString head = QStringLiteral("  %1 ").arg(f.index, 2) + pad(f.name, 28);
        QString what = f.present ? modeString(f.type, f.mode) : QStringLiteral("-");
        out += head + pad(what, 12) + pad(f.status, 20) + f.note + QLatin1Char('\n');
        if (!f.createdBy.isEmpty())
            out += QStringLiteral("       made by: ") + f.createdBy + QLatin1Char('\n');
    }
    for (const QString &w : x->warnings)
        m_err.write(QStringLiteral("strata: warning: %1\n").arg(w).toUtf8());
    print(out);
    return 0;
}

} // namespace strata
