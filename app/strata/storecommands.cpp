// SPDX-License-Identifier: GPL-2.0-or-later
#include "storecommands.h"

#include "app/strata/console.h"
#include "app/strata/storeoutput.h"
#include "core/image/imagestore.h"
#include "core/image/layersearch.h"
#include "core/image/pathexplainer.h"
#include "core/merge/mergedtree.h"
#include "core/merge/treewriter.h"
#include "core/util/background.h"
#include "core/util/jsonwriter.h"
#include "core/util/scancontrol.h"

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
    void end(const ScanControl &control, const StoreProblems &problems)
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

// The directories of a container's (or else an image's) stack, for --in.
Result<QStringList> stackDirs(const ImageStore &store, const QString &ref)
{
    Result<Stack> stack = Error {ENOENT, QStringLiteral("--in: no container or image named \"%1\"").arg(ref)};
    if (auto c = store.containerIndex(ref))
        stack = store.containerStack(*c, true);
    else if (auto i = store.imageIndex(ref))
        stack = store.imageStack(*i);
    if (!stack)
        return stack.error();
    QStringList ids;
    for (const StackLayer &l : std::as_const(*stack))
        ids << l.cacheId;
    return ids;
}

} // namespace

int StoreCommands::diff(const StoreContainer &c, const Result<ContainerDiff::Output> &diff, bool json)
{
    if (!diff)
        return m_console.failure(diff.error().message);
    std::string out;
    if (!json) {
        m_console.warn(diff->warnings);
        for (const ContainerChange &ch : diff->changes) {
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
    for (const ContainerChange &ch : diff->changes) {
        const char kind[] = {ch.letter(), '\0'};
        w.beginObject().path("path", ch.path).field("kind", kind).endObject();
    }
    w.endArray().endObject();
    m_console.write(out + '\n');
    return Console::Success;
}

int StoreCommands::search(const ImageStore &store, const Search &s)
{
    LayerSearch search(store);
    if (!s.in.isEmpty()) {
        auto only = stackDirs(store, s.in);
        if (!only)
            return m_console.failure(only.error().message);
        search.setOnly(*only);
    }
    SearchPrinter printer(m_console, s.grep, s.json);
    printer.begin(store.root(), s.what);
    const LayerSearch::Sink sink = [&printer](const SearchHit &h) {
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
    for (const StoreProblem &pr : search.problems())
        m_console.warn(pr.text());
    if (!st.ok()) {
        printer.flush();
        return m_console.failure(st.error().message);
    }
    printer.end(control, store.problems() + search.problems());
    return Console::Success;
}

int StoreCommands::explain(const ImageStore &store, const QString &ref, const QString &path, bool json)
{
    auto x = PathExplainer::explain(store, ref, path);
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

int StoreCommands::tree(const ImageStore &store, const QString &ref, bool visible, bool json)
{
    Result<Stack> stack = Error {ENOENT, QString()};
    QString name = ref;
    qsizetype image = -1;
    if (auto c = store.containerIndex(ref)) {
        stack = store.containerStack(*c, true);
        name = store.containerAt(*c).displayName();
    } else if (auto i = store.imageIndex(ref)) {
        image = *i;
        stack = store.imageStack(image);
        name = store.imageAt(image).displayName();
    } else {
        return m_console.failure(i.error().message);
    }
    if (!stack)
        return m_console.failure(stack.error().message);
    auto merged = MergedTree::build(ImageStore::toMergeLayers(*stack), store.mergeOptions());
    if (!merged)
        return m_console.failure(QStringLiteral("%1: %2").arg(name, merged.error().message));
    if (!json)
        m_console.warn(merged->warnings()); // JSON has them in "warnings"
    TreeWriter::Options options;
    options.json = json;
    options.includeWhiteouts = !visible;
    options.overlayName = name;
    options.workspaceFile = store.root();
    // An image's entries name their layer by its index in the image and its diff ID.
    for (const StackLayer &l : std::as_const(*stack)) {
        if (image < 0 || l.imageLayer < 0)
            break;
        options.imageLayers.push_back(l.imageLayer);
        options.diffIds << store.imageLayerAt(image, l.imageLayer).diffId;
    }
    TreeWriter writer(*merged, options);
    if (!writer.write(m_console.out()))
        return m_console.failure(QStringLiteral("cannot write the output"));
    return Console::Success;
}

} // namespace strata
