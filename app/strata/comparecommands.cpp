// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/strata/comparecommands.h"

#include "app/strata/argparser.h"
#include "app/strata/console.h"
#include "app/strata/storeoutput.h"
#include "core/analysis/imagecomparer.h"
#include "core/image/imagereference.h"
#include "core/image/imagestore.h"
#include "core/util/filename.h"
#include "core/util/jsonwriter.h"

namespace strata
{

namespace
{

using Out = StoreOutput;

const QString Json = QStringLiteral("json");

QString sizeText(std::int64_t size)
{
    return size < 0 ? QStringLiteral("-") : Out::humanSize(size);
}

void writeJson(JsonWriter &w, const ImageComparison &c)
{
    w.beginObject().field("image_a", c.imageA).field("image_b", c.imageB);
    w.field("layers_a", c.layersA).field("layers_b", c.layersB);
    w.field("shared_layers", c.sharedLayers).field("common_base_layers", c.commonBase);
    w.key("changes").beginArray(JsonWriter::Layout::Lines);
    for (const ImageChange &ch : c.changes) {
        w.beginObject().path("path", ch.path).field("kind", QString(QLatin1Char(ch.kind)));
        w.key("size_a").countOrNull(ch.sizeA).key("size_b").countOrNull(ch.sizeB);
        w.field("what", ch.what).endObject();
    }
    w.endArray();
    w.field("hashed_files", qint64(c.hashedFiles)).field("warnings", c.warnings).endObject();
}

QString text(const ImageComparison &c)
{
    int counts[3] = {0, 0, 0};
    for (const ImageChange &ch : c.changes)
        ++counts[ch.kind == 'A' ? 0 : ch.kind == 'C' ? 1 : 2];
    QString out = QStringLiteral("A: %1 (%2 layers)\nB: %3 (%4 layers)\n")
                      .arg(c.imageA)
                      .arg(c.layersA)
                      .arg(c.imageB)
                      .arg(c.layersB);
    out += QStringLiteral("Shared layers: %1 (the bottom %2 in the same order)\n")
               .arg(c.sharedLayers.size())
               .arg(c.commonBase);
    for (const QString &d : c.sharedLayers)
        out += QStringLiteral("  %1\n").arg(d);
    out += QStringLiteral("Changes from A to B: %1 added, %2 changed, %3 removed\n")
               .arg(counts[0])
               .arg(counts[1])
               .arg(counts[2]);
    for (const ImageChange &ch : c.changes) {
        out += QStringLiteral("  %1  ").arg(QLatin1Char(ch.kind)) + Out::pad(sizeText(ch.sizeA), 9)
            + Out::pad(sizeText(ch.sizeB), 9) + decodeFileName(ch.path);
        if (!ch.what.isEmpty())
            out += QStringLiteral("  (%1)").arg(ch.what.join(QStringLiteral(", ")));
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace

CompareCommands::CompareCommands(Console &console) : m_console(console)
{
}

QStringList CompareCommands::commands() const
{
    return {QStringLiteral("compare")};
}

QString CompareCommands::synopsis() const
{
    return QStringLiteral("Comparing images:\n"
                          "  compare IMAGE_A IMAGE_B [--json]   what B adds, changes and removes; shared layers\n");
}

QString CompareCommands::help(const QString &) const
{
    return QStringLiteral("Usage: strata compare IMAGE_A IMAGE_B [--json] [--root-a DIR] [--root-b DIR]\n"
                          "                      [--image-a REF] [--image-b REF]\n"
                          "\n"
                          "What image B adds (A), changes (C) and removes (D) against image A, as docker diff names\n"
                          "changes (below a removed directory only the directory), and the layers both share (by\n"
                          "diff ID). Times are not compared; files are compared by type, mode, owner, size, link\n"
                          "target and, when those agree but other layers provide them, by the SHA-256 of their bytes.\n"
                          "\n"
                          "IMAGE: docker:REF (an image of the Docker store; --root-a/--root-b for another root),\n"
                          "       an image archive's path (archive:PATH when it has a colon; --image-a/--image-b pick\n"
                          "       one image of a multi-image archive).\n"
                          "Reads only. Exit status: 0 compared (whether or not they differ), 1 an image could not be\n"
                          "read, 2 bad usage.\n");
}

int CompareCommands::run(const QString &, const QStringList &args)
{
    const QStringList valued {
        QStringLiteral("root-a"), QStringLiteral("root-b"), QStringLiteral("image-a"), QStringLiteral("image-b")};
    ArgParser p({Json}, valued);
    const QString helpRef = QStringLiteral("strata compare --help");
    if (!p.parse(args))
        return m_console.usageError(QStringLiteral("compare: %1").arg(p.error()), helpRef);
    if (p.positionals().size() != 2)
        return m_console.usageError(QStringLiteral("usage: strata compare IMAGE_A IMAGE_B [--json]"), helpRef);
    ImageReference::Opened opened[2];
    const char *side[2] = {"a", "b"};
    for (int i = 0; i < 2; ++i) {
        auto ref = ImageReference::parse(p.positionals().at(i));
        if (!ref)
            return m_console.usageError(ref.error().message, helpRef);
        auto o = ref->open(p.value(QStringLiteral("root-%1").arg(QLatin1String(side[i]))),
            p.value(QStringLiteral("image-%1").arg(QLatin1String(side[i]))));
        if (!o)
            return m_console.failure(o.error().message);
        if (!p.isSet(Json))
            Out::warnProblems(m_console, o->store->problems());
        opened[i] = *o;
    }
    auto c = ImageComparer::compare(*opened[0].store, opened[0].image, *opened[1].store, opened[1].image);
    if (!c)
        return m_console.failure(c.error().message);
    return report(*c, p.isSet(Json));
}

int CompareCommands::report(const ImageComparison &c, bool json)
{
    if (json) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        writeJson(w, c);
        m_console.write(out + '\n');
        return Console::Success;
    }
    m_console.warn(c.warnings);
    m_console.print(text(c));
    return Console::Success;
}

} // namespace strata
