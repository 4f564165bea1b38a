// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace strata
{

class ArgParser;
class Console;
class ImageStore;
struct ImageAnalysis;

/// `strata image analyze ARCHIVE`, `strata docker analyze REF` and `strata containerd analyze REF` (docs/analysis.md):
/// the same analysis over either ImageStore, dive's figures and CI rules. The families hand the arguments after
/// "analyze" over.
class AnalyzeCommands final
{
public:
    explicit AnalyzeCommands(Console &console);

    [[nodiscard]] int runArchive(const QStringList &args);
    [[nodiscard]] int runDocker(const QStringList &args);
    [[nodiscard]] int runContainerd(const QStringList &args);
    [[nodiscard]] int runPodman(const QStringList &args);

private:
    /// -1 when the arguments are good, else the exit status of the usage error.
    [[nodiscard]] int parse(ArgParser &p, const QStringList &args, const QString &family, const QString &operands);
    /// The image named by the first operand of an opened store (or its failure), analyzed.
    template<typename Store>
    [[nodiscard]] int analyzeIn(Result<Store> store, const ArgParser &p);
    [[nodiscard]] int analyze(const ImageStore &store, qsizetype image, const ArgParser &p);
    [[nodiscard]] int report(const ImageStore &store, const ImageAnalysis &a, const ArgParser &p);

    Console &m_console;
};

} // namespace strata
