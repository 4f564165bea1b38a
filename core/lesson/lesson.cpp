// SPDX-License-Identifier: GPL-2.0-or-later
#include "lesson.h"

#include "core/events/mergedoperation.h"
#include "core/stack/scenario.h"
#include "core/util/jsonstring.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>

namespace strata
{

QStringList Lesson::builtInNames()
{
    return {QStringLiteral("blog")};
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
    l.m_scenario = top.value(QStringLiteral("scenario")).toString();
    if (!Scenario::names().contains(l.m_scenario))
        return Error {EINVAL,
            QStringLiteral("%1: scenario: \"%2\" is not one of %3")
                .arg(source, l.m_scenario, Scenario::names().join(QStringLiteral(", ")))};
    const QJsonArray steps = top.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty())
        return Error {EINVAL, QStringLiteral("%1: steps: expected a non-empty array").arg(source)};
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject o = steps.at(i).toObject();
        Step s;
        s.say = o.value(QStringLiteral("say")).toString();
        s.overlay = o.value(QStringLiteral("overlay")).toString();
        for (const QJsonValue v : o.value(QStringLiteral("edit")).toArray())
            s.edit << v.toString();
        if (s.say.isEmpty())
            return Error {EINVAL, QStringLiteral("%1: steps[%2].say: expected the narration").arg(source).arg(i)};
        if (!s.edit.isEmpty()) {
            auto op = MergedOperation::parse(s.edit);
            if (!op)
                return Error {
                    EINVAL, QStringLiteral("%1: steps[%2].edit: %3").arg(source).arg(i).arg(op.error().message)};
        }
        l.m_steps << s;
    }
    return l;
}

} // namespace strata
