// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/strata/analyzecommands.h"

#include "app/strata/argparser.h"
#include "app/strata/console.h"
#include "app/strata/storeoutput.h"
#include "core/analysis/analysisjson.h"
#include "core/analysis/cirules.h"
#include "core/analysis/imageanalyzer.h"
#include "core/image/archive/archivestore.h"
#include "core/image/containerd/containerdstore.h"
#include "core/image/docker/dockerhost.h"
#include "core/image/podman/podmanstore.h"
#include "core/util/filename.h"
#include "core/util/jsonwriter.h"

#include <cmath>
#include <optional>

namespace strata
{

namespace
{

using Out = StoreOutput;

const QString Json = QStringLiteral("json");
const QString Ci = QStringLiteral("ci");
const QString Changes = QStringLiteral("changes");
const QString CiConfig = QStringLiteral("ci-config");
const QString LowestEfficiency = QStringLiteral("lowest-efficiency");
const QString HighestWastedBytes = QStringLiteral("highest-wasted-bytes");
const QString HighestUserWastedPercent = QStringLiteral("highest-user-wasted-percent");

ArgParser parser(const QStringList &storeOptions)
{
    return ArgParser({Json, Ci, Changes},
        QStringList {CiConfig, LowestEfficiency, HighestWastedBytes, HighestUserWastedPercent} + storeOptions);
}

// Defaults, then the --ci-config file, then the options.
Result<CiRules> rulesOf(const ArgParser &p)
{
    CiRules rules;
    if (p.isSet(CiConfig)) {
        auto text = readFileBytes(p.value(CiConfig), 1 << 20);
        if (!text)
            return text.error();
        if (Status s = rules.readDiveCi(*text); !s)
            return Error {s.error().code, p.value(CiConfig) + QStringLiteral(": ") + s.error().message};
    }
    if (p.isSet(LowestEfficiency))
        rules.lowestEfficiency = p.value(LowestEfficiency);
    if (p.isSet(HighestWastedBytes))
        rules.highestWastedBytes = p.value(HighestWastedBytes);
    if (p.isSet(HighestUserWastedPercent))
        rules.highestUserWastedPercent = p.value(HighestUserWastedPercent);
    return rules;
}

QString percent(double ratio)
{
    return std::isfinite(ratio) ? QStringLiteral("%1 %").arg(ratio * 100, 0, 'f', 2) : QString::number(ratio);
}

void writeCi(JsonWriter &w, const QVector<CiRuleResult> &results, bool pass)
{
    w.key("ci").beginObject().field("pass", pass).key("rules").beginArray(JsonWriter::Layout::Lines);
    for (const CiRuleResult &r : results) {
        w.beginObject().field("name", r.name).field("status", CiRuleResult::statusName(r.status));
        w.key("value");
        r.status == CiRuleResult::Status::Skip ? w.null() : w.value(r.value);
        w.key("threshold");
        r.status == CiRuleResult::Status::Skip ? w.null() : w.value(r.threshold);
        w.field("message", r.message).endObject();
    }
    w.endArray().endObject();
}

QString changesText(const ImageAnalysis &a)
{
    QString out = QStringLiteral("Changes per layer (A added, M modified, D removed):\n");
    for (const LayerAnalysis &l : a.layers) {
        out += QStringLiteral("  layer %1: %2\n").arg(l.index).arg(l.command);
        for (const LayerChange &c : l.changes)
            out += QStringLiteral("    %1  ").arg(QLatin1Char(c.kind)) + Out::pad(Out::humanSize(c.sizeBytes), 10)
                + decodeFileName(c.path) + QLatin1Char('\n');
    }
    return out;
}

QString text(const ImageAnalysis &a)
{
    QString out = QStringLiteral("Image: %1\n").arg(a.image);
    out += QStringLiteral("  efficiency:        %1\n").arg(percent(a.efficiency));
    out += QStringLiteral("  wastedBytes:       %1 bytes (%2)\n")
               .arg(a.inefficientBytes)
               .arg(Out::humanSize(a.inefficientBytes));
    out += QStringLiteral("  userWastedPercent: %1\n").arg(percent(a.userWastedPercent));
    out += QStringLiteral("  size:              %1 bytes, user %2 bytes\n").arg(a.sizeBytes).arg(a.userSizeBytes);
    out += QStringLiteral("  opaque-aware:      wasted %1 bytes, efficiency %2 (dive ignores .wh..wh..opq)\n")
               .arg(a.wastedBytesOpaqueAware)
               .arg(percent(a.efficiencyOpaqueAware));
    out += QStringLiteral("Layers:\n    #  SIZE      ADDED  MODIFIED  REMOVED  COMMAND\n");
    for (const LayerAnalysis &l : a.layers)
        out += QStringLiteral("  %1  ").arg(l.index, 3) + Out::pad(Out::humanSize(l.sizeBytes), 10)
            + QStringLiteral("%1  %2  %3  ").arg(l.added, 5).arg(l.modified, 8).arg(l.removed, 7) + l.command
            + QLatin1Char('\n');
    out += QStringLiteral("Inefficient Files:\n");
    if (a.fileReferences.isEmpty())
        out += QStringLiteral("  None\n");
    else
        out += QStringLiteral("  Count  Wasted Space  File Path\n");
    for (const FileReference &r : a.fileReferences)
        out += QStringLiteral("  %1  ").arg(r.count, -5) + Out::pad(Out::humanSize(r.sizeBytes), 12)
            + QStringLiteral("  ") + decodeFileName(r.path) + QLatin1Char('\n');
    return out;
}

QString ciText(const QVector<CiRuleResult> &results, bool pass)
{
    QString out = QStringLiteral("Results:\n");
    int counts[3] = {0, 0, 0};
    for (const CiRuleResult &r : results) {
        ++counts[int(r.status)];
        out += QStringLiteral("  %1  %2").arg(CiRuleResult::statusName(r.status).toUpper(), r.name);
        out += r.status == CiRuleResult::Status::Pass ? QString() : QStringLiteral(" (%1)").arg(r.message);
        out += QLatin1Char('\n');
    }
    out += QStringLiteral("Result:%1 [Total:%2] [Passed:%3] [Failed:%4] [Skipped:%5]\n")
               .arg(pass ? QStringLiteral("PASS") : QStringLiteral("FAIL"))
               .arg(results.size())
               .arg(counts[0])
               .arg(counts[1])
               .arg(counts[2]);
    return out;
}

} // namespace

AnalyzeCommands::AnalyzeCommands(Console &console) : m_console(console)
{
}

int AnalyzeCommands::parse(ArgParser &p, const QStringList &args, const QString &family, const QString &operands)
{
    const QString help = QStringLiteral("strata %1 --help").arg(family);
    if (!p.parse(args))
        return m_console.usageError(QStringLiteral("%1 analyze: %2").arg(family, p.error()), help);
    if (p.positionals().size() != 1)
        return m_console.usageError(
            QStringLiteral("usage: strata %1 analyze %2 [--json] [--ci]").arg(family, operands), help);
    return -1;
}

int AnalyzeCommands::runArchive(const QStringList &args)
{
    ArgParser p = parser({QStringLiteral("image")});
    if (const int bad = parse(p, args, QStringLiteral("image"), QStringLiteral("ARCHIVE [--image REF]")); bad >= 0)
        return bad;
    auto store = ArchiveStore::open(p.positionals().first());
    if (!store)
        return m_console.failure(store.error().message);
    if (!p.isSet(Json))
        Out::warnProblems(m_console, (*store)->problems());
    auto selected = (*store)->select(p.value(QStringLiteral("image")));
    if (!selected)
        return m_console.failure(selected.error().message);
    return analyze(**store, *selected, p);
}

template<typename Store>
int AnalyzeCommands::analyzeIn(Result<Store> store, const ArgParser &p)
{
    if (!store)
        return m_console.failure(store.error().message);
    if (!p.isSet(Json))
        Out::warnProblems(m_console, store->problems());
    auto image = store->imageIndex(p.positionals().first());
    if (!image)
        return m_console.failure(image.error().message);
    return analyze(*store, *image, p);
}

int AnalyzeCommands::runDocker(const QStringList &args)
{
    ArgParser p = parser({QStringLiteral("root")});
    if (const int bad = parse(p, args, QStringLiteral("docker"), QStringLiteral("REF [--root DIR]")); bad >= 0)
        return bad;
    return analyzeIn(DockerHost::open(p.value(QStringLiteral("root"))), p);
}

int AnalyzeCommands::runContainerd(const QStringList &args)
{
    ArgParser p = parser({QStringLiteral("root"), QStringLiteral("namespace")});
    if (const int bad
        = parse(p, args, QStringLiteral("containerd"), QStringLiteral("REF [--root DIR] [--namespace NS]"));
        bad >= 0)
        return bad;
    return analyzeIn(ContainerdStore::open(p.value(QStringLiteral("root")), p.value(QStringLiteral("namespace"))), p);
}

int AnalyzeCommands::runPodman(const QStringList &args)
{
    ArgParser p = parser({QStringLiteral("root")});
    if (const int bad = parse(p, args, QStringLiteral("podman"), QStringLiteral("REF [--root DIR]")); bad >= 0)
        return bad;
    return analyzeIn(PodmanStore::open(p.value(QStringLiteral("root"))), p);
}

int AnalyzeCommands::analyze(const ImageStore &store, qsizetype image, const ArgParser &p)
{
    auto analysis = ImageAnalyzer::analyze(store, image, nullptr, p.isSet(Changes));
    if (!analysis)
        return m_console.failure(analysis.error().message);
    if (!p.isSet(Json))
        m_console.warn(analysis->warnings);
    return report(store, *analysis, p);
}

int AnalyzeCommands::report(const ImageStore &store, const ImageAnalysis &a, const ArgParser &p)
{
    const bool ci = p.isSet(Ci) || p.isSet(CiConfig);
    std::optional<QVector<CiRuleResult>> results;
    bool pass = true;
    if (ci) {
        auto rules = rulesOf(p);
        if (!rules)
            return m_console.failure(rules.error().message);
        // A threshold dive would refuse is bad usage.
        auto evaluated = rules->evaluate(a);
        if (!evaluated)
            return m_console.usageError(evaluated.error().message, QStringLiteral("docs/analysis.md"));
        for (const CiRuleResult &r : *evaluated)
            pass = pass && r.status != CiRuleResult::Status::Fail;
        results = *evaluated;
    }
    const int code = pass ? Console::Success : Console::Failure;
    if (p.isSet(Json)) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        AnalysisJson::write(w, store, a, p.isSet(Changes));
        if (results)
            writeCi(w, *results, pass);
        w.endObject();
        m_console.write(out + '\n');
        return code;
    }
    m_console.print(
        text(a) + (p.isSet(Changes) ? changesText(a) : QString()) + (results ? ciText(*results, pass) : QString()));
    return code;
}

} // namespace strata
