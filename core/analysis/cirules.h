// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <cstdint>

namespace strata
{

struct ImageAnalysis;

/// One rule's verdict, as dive's CI mode prints it (PASS, FAIL, SKIP).
struct CiRuleResult {
    enum class Status { Pass, Fail, Skip };
    QString name; ///< dive's key: lowestEfficiency, highestWastedBytes, highestUserWastedPercent
    Status status = Status::Skip;
    double value = 0; ///< the image's figure the rule looks at
    double threshold = 0; ///< meaningless when skipped
    QString message; ///< why it failed, or the configured value

    [[nodiscard]] static QString statusName(Status s);
};

/// dive's CI rules (cmd/dive/cli/internal/command/ci/rules.go): thresholds as the strings a
/// `.dive-ci` file or an option gives, "disabled" (or "", "off", "false") skipping a rule.
class CiRules final
{
public:
    QString lowestEfficiency = QStringLiteral("0.9");
    QString highestWastedBytes = QStringLiteral("disabled");
    QString highestUserWastedPercent = QStringLiteral("0.1");

    /// The rules of a `.dive-ci` file over these: a YAML subset (docs/analysis.md): a `rules:`
    /// mapping (or the keys at the top), `key: value` lines, plain or quoted scalars, `#`
    /// comments; dive's camelCase keys and its kebab-case ones (lowest-efficiency…).
    [[nodiscard]] Status readDiveCi(const QByteArray &text);
    /// Every rule's verdict, in dive's order; an error for a threshold dive would refuse.
    [[nodiscard]] Result<QVector<CiRuleResult>> evaluate(const ImageAnalysis &analysis) const;

    /// humanize.ParseBytes as dive uses it: "20MB" and "19Mb" are 1000-based, "1MiB" 1024-based.
    [[nodiscard]] static Result<std::uint64_t> parseBytes(const QString &text);
    [[nodiscard]] static bool isDisabled(const QString &value);
};

} // namespace strata
