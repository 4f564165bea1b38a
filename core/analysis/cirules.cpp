// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/cirules.h"

#include "core/analysis/imageanalysis.h"

#include <QHash>
#include <QRegularExpression>

#include <cerrno>
#include <cmath>
#include <functional>

namespace strata
{

namespace
{

Error invalid(const QString &message)
{
    return Error {EINVAL, message};
}

// A ratio threshold as dive reads it: a float in 0..1.
Result<double> ratio(const QString &key, const QString &value)
{
    bool ok = false;
    const double d = value.trimmed().toDouble(&ok);
    if (!ok)
        return invalid(QStringLiteral("invalid %1 config value, given \"%2\"").arg(key, value));
    if (d < 0 || d > 1)
        return invalid(QStringLiteral("%1 config value is outside allowed range (0-1), given '%2'").arg(key, value));
    return d;
}

QString unquoted(QString v)
{
    v = v.trimmed();
    if (v.size() >= 2 && (v.front() == QLatin1Char('"') || v.front() == QLatin1Char('\'')) && v.back() == v.front())
        return v.mid(1, v.size() - 2);
    const qsizetype hash = v.indexOf(QLatin1String(" #"));
    return hash < 0 ? v : v.left(hash).trimmed();
}

} // namespace

QString CiRuleResult::statusName(Status s)
{
    switch (s) {
    case Status::Pass:
        return QStringLiteral("pass");
    case Status::Fail:
        return QStringLiteral("fail");
    case Status::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

bool CiRules::isDisabled(const QString &value)
{
    const QString v = value.trimmed();
    return v.isEmpty() || v == QLatin1String("disabled") || v == QLatin1String("off") || v == QLatin1String("false");
}

Status CiRules::readDiveCi(const QByteArray &text)
{
    const QHash<QString, QString *> keys {
        {QStringLiteral("lowestEfficiency"), &lowestEfficiency},
        {QStringLiteral("lowest-efficiency"), &lowestEfficiency},
        {QStringLiteral("highestWastedBytes"), &highestWastedBytes},
        {QStringLiteral("highest-wasted-bytes"), &highestWastedBytes},
        {QStringLiteral("highestUserWastedPercent"), &highestUserWastedPercent},
        {QStringLiteral("highest-user-wasted-percent"), &highestUserWastedPercent},
    };
    int lineNo = 0;
    for (const QByteArray &raw : text.split('\n')) {
        ++lineNo;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line == QLatin1String("---"))
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return invalid(QStringLiteral("line %1: not a \"key: value\" line").arg(lineNo));
        const QString key = line.left(colon).trimmed();
        const QString value = unquoted(line.mid(colon + 1));
        if (key == QLatin1String("rules") && value.isEmpty())
            continue;
        if (QString *target = keys.value(key))
            *target = value;
        // Other keys (dive's whole config can live in the file) are not ours to judge.
    }
    return {};
}

Result<std::uint64_t> CiRules::parseBytes(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)\\s*([A-Za-z]*)\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return invalid(QStringLiteral("invalid byte size \"%1\"").arg(text));
    const QString unit = m.captured(2).toLower();
    static const QHash<QString, double> units {
        {QString(), 1},
        {QStringLiteral("b"), 1},
        {QStringLiteral("k"), 1e3},
        {QStringLiteral("kb"), 1e3},
        {QStringLiteral("ki"), 1024.0},
        {QStringLiteral("kib"), 1024.0},
        {QStringLiteral("m"), 1e6},
        {QStringLiteral("mb"), 1e6},
        {QStringLiteral("mi"), 1048576.0},
        {QStringLiteral("mib"), 1048576.0},
        {QStringLiteral("g"), 1e9},
        {QStringLiteral("gb"), 1e9},
        {QStringLiteral("gi"), 1073741824.0},
        {QStringLiteral("gib"), 1073741824.0},
        {QStringLiteral("t"), 1e12},
        {QStringLiteral("tb"), 1e12},
        {QStringLiteral("ti"), 1099511627776.0},
        {QStringLiteral("tib"), 1099511627776.0},
    };
    const auto u = units.constFind(unit);
    if (u == units.cend())
        return invalid(QStringLiteral("invalid byte size \"%1\": unknown unit \"%2\"").arg(text, m.captured(2)));
    const double bytes = m.captured(1).toDouble() * *u;
    if (!(bytes < 1.8e19))
        return invalid(QStringLiteral("byte size \"%1\" too large").arg(text));
    return std::uint64_t(bytes);
}

Result<QVector<CiRuleResult>> CiRules::evaluate(const ImageAnalysis &a) const
{
    struct Rule {
        const char *name;
        const QString &config;
        std::function<Result<double>(const QString &)> threshold;
        double value;
        bool failsBelow; // lowestEfficiency; the others fail above their threshold
        std::function<QString(double, double)> failure;
    };
    const auto ratioOf = [](const char *name) {
        return [name](const QString &v) {
            return ratio(QLatin1String(name), v);
        };
    };
    const Rule rules[] = {
        {"lowestEfficiency",
            lowestEfficiency,
            ratioOf("lowestEfficiency"),
            a.efficiency,
            true,
            [](double v, double t) {
                return QStringLiteral("image efficiency is too low (efficiency=%1 < threshold=%2)").arg(v).arg(t);
            }},
        {"highestWastedBytes",
            highestWastedBytes,
            [](const QString &v) -> Result<double> {
                auto b = parseBytes(v);
                if (!b)
                    return invalid(QStringLiteral("invalid highestWastedBytes config value, given \"%1\"").arg(v));
                return double(*b);
            },
            double(a.inefficientBytes),
            false,
            [](double v, double t) {
                return QStringLiteral("too many bytes wasted (wasted-bytes=%1 > threshold=%2)")
                    .arg(qint64(v))
                    .arg(qint64(t));
            }},
        // NaN (no user layers, nothing wasted) passes, +Inf fails: dive's float comparison.
        {"highestUserWastedPercent",
            highestUserWastedPercent,
            ratioOf("highestUserWastedPercent"),
            a.userWastedPercent,
            false,
            [](double v, double t) {
                return QStringLiteral("too many bytes wasted, relative to the user bytes added "
                                      "(%-user-wasted-bytes=%1 > threshold=%2)")
                    .arg(v, 0, 'f', 2)
                    .arg(t);
            }},
    };
    QVector<CiRuleResult> out;
    for (const Rule &r : rules) {
        if (isDisabled(r.config)) {
            out.push_back({QLatin1String(r.name), CiRuleResult::Status::Skip, 0, 0, QStringLiteral("disabled")});
            continue;
        }
        auto t = r.threshold(r.config);
        if (!t)
            return t.error();
        const bool fail = r.failsBelow ? *t > r.value : r.value > *t;
        out.push_back({QLatin1String(r.name),
            fail ? CiRuleResult::Status::Fail : CiRuleResult::Status::Pass,
            r.value,
            *t,
            fail ? r.failure(r.value, *t) : r.config});
    }
    return out;
}

} // namespace strata
