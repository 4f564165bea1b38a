// SPDX-License-Identifier: GPL-2.0-or-later
#include "lesson.h"

#include "core/events/mergedoperation.h"
#include "core/stack/overlayoptions.h"
#include "core/stack/scenario.h"
#include "core/util/jsonstring.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>

namespace strata
{

namespace
{
// "options" of a lesson or a step: an object of workspace-file options, checked as those are.
Result<QJsonObject> optionsFromJson(const QJsonValue &value, const QString &where)
{
    if (value.isUndefined())
        return QJsonObject();
    if (auto checked = OverlayOptions::fromJson(value, where); !checked)
        return checked.error();
    return value.toObject();
}

Result<Lesson::Stack> stackFromJson(const QJsonValue &value, const QString &where)
{
    Lesson::Stack s;
    if (value.isUndefined())
        return s;
    if (!value.isObject())
        return Error {EINVAL, QStringLiteral("%1: expected an object, got %2").arg(where, jsonTypeName(value))};
    const QJsonObject o = value.toObject();
    for (auto [key, member] : {std::pair {"name", &Lesson::Stack::name},
             std::pair {"lower", &Lesson::Stack::lower},
             std::pair {"upper", &Lesson::Stack::upper},
             std::pair {"work", &Lesson::Stack::work}}) {
        s.*member = o.value(QLatin1String(key)).toString();
        if ((s.*member).isEmpty())
            return Error {EINVAL, QStringLiteral("%1.%2: expected a name").arg(where, QLatin1String(key))};
    }
    return s;
}
} // namespace

QStringList Lesson::builtInNames()
{
    return {QStringLiteral("blog"),
        QStringLiteral("opaque"),
        QStringLiteral("rename"),
        QStringLiteral("hardlinks"),
        QStringLiteral("metacopy"),
        QStringLiteral("stacking"),
        QStringLiteral("shared-workdir"),
        QStringLiteral("docker-image")};
}

Result<Lesson> Lesson::load(const QString &nameOrFile)
{
    QString path = nameOrFile;
    if (builtInNames().contains(nameOrFile))
        path = QStringLiteral(":/stratascope/lessons/%1.lesson").arg(nameOrFile);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return Error {ENOENT,
            QStringLiteral("%1: no such lesson (built in: %2)")
                .arg(nameOrFile, builtInNames().join(QStringLiteral(", ")))};
    }
    return fromJson(f.readAll(), nameOrFile);
}

Result<Lesson::Step> Lesson::stepFromJson(const QJsonObject &o, const QString &where)
{
    Step s;
    s.say = o.value(QStringLiteral("say")).toString();
    s.overlay = o.value(QStringLiteral("overlay")).toString();
    s.select = o.value(QStringLiteral("select")).toString();
    if (!s.select.isEmpty() && !s.select.startsWith(QLatin1Char('/')))
        return Error {EINVAL, QStringLiteral("%1.select: expected a path in the merged view, from /").arg(where)};
    for (const QJsonValue v : o.value(QStringLiteral("edit")).toArray())
        s.edit << v.toString();
    if (s.say.isEmpty())
        return Error {EINVAL, QStringLiteral("%1.say: expected the narration").arg(where)};
    if (!s.edit.isEmpty()) {
        auto op = MergedOperation::parse(s.edit);
        if (!op)
            return Error {EINVAL, QStringLiteral("%1.edit: %2").arg(where, op.error().message)};
    }
    auto stack = stackFromJson(o.value(QStringLiteral("stack")), where + QStringLiteral(".stack"));
    if (!stack)
        return stack.error();
    s.stack = *stack;
    auto options = optionsFromJson(o.value(QStringLiteral("options")), where + QStringLiteral(".options"));
    if (!options)
        return options.error();
    s.options = *options;
    return s;
}

Result<Lesson> Lesson::fromJson(const QByteArray &json, const QString &source)
{
    const auto parsed = parseJsonObject(json, source);
    if (!parsed)
        return parsed.error();
    const QJsonObject &top = *parsed;
    if (top.value(QStringLiteral("version")).toInt() != 1)
        return Error {EINVAL, QStringLiteral("%1: version: expected 1").arg(source)};
    Lesson l;
    l.m_title = top.value(QStringLiteral("title")).toString();
    l.m_description = top.value(QStringLiteral("description")).toString();
    l.m_scenario = top.value(QStringLiteral("scenario")).toString();
    if (!Scenario::names().contains(l.m_scenario))
        return Error {EINVAL,
            QStringLiteral("%1: scenario: \"%2\" is not one of %3")
                .arg(source, l.m_scenario, Scenario::names().join(QStringLiteral(", ")))};
    auto options = optionsFromJson(top.value(QStringLiteral("options")), source + QStringLiteral(": options"));
    if (!options)
        return options.error();
    l.m_options = *options;
    const QJsonArray steps = top.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty())
        return Error {EINVAL, QStringLiteral("%1: steps: expected a non-empty array").arg(source)};
    for (qsizetype i = 0; i < steps.size(); ++i) {
        auto step = stepFromJson(steps.at(i).toObject(), QStringLiteral("%1: steps[%2]").arg(source).arg(i));
        if (!step)
            return step.error();
        l.m_steps << *step;
    }
    return l;
}

} // namespace strata
