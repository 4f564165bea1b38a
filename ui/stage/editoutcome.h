// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"
#include "ui/common/editrunner.h"

#include <QObject>
#include <QStringList>

namespace strata
{

class Stage;
class StackSidebar;
class Timeline;
class Workspace;

/// How an edit ended, shown where the class looks: the timeline's row, the captions of its
/// events, a refusal explained on the banner, and the overlays above that see the change.
class EditOutcome final : public QObject
{
    Q_OBJECT
public:
    /// The window's parts it shows the outcome on; none is owned.
    struct Parts {
        Stage *stage = nullptr;
        Timeline *timeline = nullptr;
        StackSidebar *sidebar = nullptr;
    };
    /// Where the edit ran.
    struct Stack {
        const Workspace *workspace = nullptr;
        int overlay = -1;
    };
    /// What the window does with it.
    struct Shown {
        int error = 0; ///< 0 done, else the errno of the refusal
        QString status; ///< the status line's words
        QString failure; ///< not empty: the edit could not start; the window says so louder
    };

    explicit EditOutcome(const Parts &parts, QObject *parent = nullptr);

    /// Shows how `done` ended.
    [[nodiscard]] Shown show(const EditRunner::Done &done, const Stack &stack);
    /// Edits another program made (the watcher saw them): shown as ours are.
    void showOutside(const QList<OverlayEvent> &events, const Stack &stack);
    /// A refused edit in words: the errno, and which option would allow it; then `detail`.
    [[nodiscard]] static QString refusalText(int error, const QString &verb, const QString &detail, const Stack &stack);

private:
    void showPropagation(const QList<OverlayEvent> &events, const Stack &stack);

    Parts m_parts;
};

} // namespace strata
