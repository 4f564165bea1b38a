// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// A lesson: a built-in scenario and steps, each a piece of narration and (usually) one edit
/// in the merged view of one overlay. Format (JSON, docs/lesson-format.md):
///
///   { "version": 1, "title": "...", "scenario": "blog",
///     "steps": [ { "say": "...", "overlay": "overlay_layer", "edit": ["rm", "/base_image/common.txt"] } ] }
class Lesson final
{
public:
    struct Step {
        QString say;
        QString overlay; ///< empty: the first overlay
        QStringList edit; ///< a `strata op` verb and its arguments; empty: narration only
    };

    /// A built-in lesson by name ("blog"), or a lesson file.
    [[nodiscard]] static Result<Lesson> load(const QString &nameOrFile);
    [[nodiscard]] static Result<Lesson> fromJson(const QByteArray &json, const QString &source);
    [[nodiscard]] static QStringList builtInNames();

    [[nodiscard]] const QString &title() const { return m_title; }
    [[nodiscard]] const QString &scenario() const { return m_scenario; }
    [[nodiscard]] const QList<Step> &steps() const { return m_steps; }

private:
    QString m_title;
    QString m_scenario;
    QList<Step> m_steps;
};

} // namespace strata
