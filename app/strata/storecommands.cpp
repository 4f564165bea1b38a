// SPDX-License-Identifier: GPL-2.0-or-later
#include "storecommands.h"

#include "app/strata/argparser.h"
#include "app/strata/console.h"
#include "app/strata/searchoutput.h"
#include "app/strata/storeoutput.h"
#include "core/image/imagestore.h"
#include "core/image/layersearch.h"
#include "core/image/pathexplainer.h"
#include "core/merge/mergedtree.h"
#include "core/merge/treewriter.h"
#include "core/util/jsonwriter.h"
#include "core/util/scancontrol.h"

namespace strata
{

namespace
{

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

QHash<QString, StoreCommands::Verb> StoreCommands::verbs()
{
    const QString json = QStringLiteral("json");
    const QString in = QStringLiteral("in");
    return {
        {QStringLiteral("images"), {0, {json}, {}, QStringLiteral("images")}},
        {QStringLiteral("layers"), {1, {json}, {}, QStringLiteral("layers REF")}},
        {QStringLiteral("containers"), {0, {json}, {}, QStringLiteral("containers")}},
        {QStringLiteral("diff"), {1, {json}, {}, QStringLiteral("diff CTR")}},
        {QStringLiteral("tree"), {1, {json, QStringLiteral("visible")}, {}, QStringLiteral("tree REF [--visible]")}},
        {QStringLiteral("find"), {1, {json}, {in}, QStringLiteral("find GLOB [--in REF]")}},
        {QStringLiteral("grep"),
            {1, {json, QStringLiteral("progress")}, {in}, QStringLiteral("grep TEXT [--in REF] [--progress]")}},
        {QStringLiteral("explain"), {2, {json}, {}, QStringLiteral("explain REF PATH")}},
    };
}

std::optional<int> StoreCommands::parse(ArgParser &p,
    const QString &family,
    const QString &cmd,
    const Verb &verb,
    const QStringList &storeOptions,
    const QStringList &args)
{
    const QString help = QStringLiteral("strata %1 --help").arg(family);
    if (!p.parse(args))
        return m_console.usageError(QStringLiteral("%1 %2: %3").arg(family, cmd, p.error()), help);
    if (p.positionals().size() + p.rest().size() != verb.operands) {
        QString options;
        for (const QString &o : storeOptions)
            options += QStringLiteral(" [--%1 %2]")
                           .arg(o, o == QLatin1String("root") ? QStringLiteral("DIR") : QStringLiteral("NS"));
        return m_console.usageError(
            QStringLiteral("usage: strata %1 %2%3 [--json]").arg(family, verb.synopsis, options), help);
    }
    for (const QString &o : storeOptions) {
        if (p.isSet(o) && p.value(o).isEmpty())
            return m_console.usageError(QStringLiteral("%1 %2: --%3 needs a value").arg(family, cmd, o), help);
    }
    return std::nullopt;
}

std::optional<int> StoreCommands::common(const QString &cmd, const ImageStore &store, const ArgParser &p)
{
    const bool json = p.isSet(QStringLiteral("json"));
    const QStringList operands = p.positionals() + p.rest(); // "--" ends options: grep -- -x
    if (cmd == QLatin1String("tree"))
        return tree(store, operands.at(0), p.isSet(QStringLiteral("visible")), json);
    if (cmd == QLatin1String("find") || cmd == QLatin1String("grep"))
        return search(store,
            Search {cmd == QLatin1String("grep"),
                operands.at(0),
                p.value(QStringLiteral("in")),
                json,
                p.isSet(QStringLiteral("progress"))});
    if (cmd == QLatin1String("explain"))
        return explain(store, operands.at(0), operands.at(1), json);
    return std::nullopt;
}

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
            out += StoreOutput::utf8(SearchOutput::printable(ch.path));
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
    return SearchOutput::run(m_console, search, {s.grep, s.what, s.json, s.progress}, store.root(), store.problems());
}

int StoreCommands::explain(const ImageStore &store, const QString &ref, const QString &path, bool json)
{
    return SearchOutput::explanation(m_console, PathExplainer::explain(store, ref, path), json);
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
