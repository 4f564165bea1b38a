// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// A lesson: a built-in scenario and steps, each a piece of narration and (usually) one edit
/// in the merged view of one overlay. A step may also build a new overlay on top of an
/// earlier one, or remount its overlay with other options, before its edit. Format (JSON,
/// docs/lesson-format.md):
///
///   { "version": 1, "title": "...", "description": "...", "scenario": "blog",
///     "steps": [ { "say": "...", "overlay": "overlay_layer", "edit": ["rm", "/base_image/common.txt"] } ] }
class Lesson final
{
public:
    /// A new overlay whose lower layer is an earlier overlay's merged view.
    struct Stack {
        QString name; ///< the new overlay, and its mountpoint's directory
        QString lower; ///< the overlay it stands on
        QString upper;
        QString work;
        [[nodiscard]] bool isEmpty() const { return name.isEmpty(); }
    };
    struct Step {
        QString say;
        QString overlay; ///< empty: the one shown before (the first at the start)
        QStringList edit; ///< a `strata op` verb and its arguments; empty: narration only
        QString select; ///< a merged path shown selected once the step is done (what it speaks of)
        Stack stack; ///< built first, when there is one
        QJsonObject options; ///< then set on the step's overlay (workspace-file keys)
        [[nodiscard]] bool changesWorkspace() const { return !stack.isEmpty() || !options.isEmpty(); }
    };

    /// A built-in lesson by name ("blog"), or a lesson file.
    [[nodiscard]] static Result<Lesson> load(const QString &nameOrFile);
    [[nodiscard]] static Result<Lesson> fromJson(const QByteArray &json, const QString &source);
    [[nodiscard]] static QStringList builtInNames();

    [[nodiscard]] const QString &title() const { return m_title; }
    /// One or two sentences for the list of lessons.
    [[nodiscard]] const QString &description() const { return m_description; }
    [[nodiscard]] const QString &scenario() const { return m_scenario; }
    /// Options set on every overlay of the scenario before the first step (may be empty).
    [[nodiscard]] const QJsonObject &options() const { return m_options; }
    [[nodiscard]] const QList<Step> &steps() const { return m_steps; }

private:
    [[nodiscard]] static Result<Step> stepFromJson(const QJsonObject &o, const QString &where);

    QString m_title;
    QString m_description;
    QString m_scenario;
    QJsonObject m_options;
    QList<Step> m_steps;
};

} // namespace strata
