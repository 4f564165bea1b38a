// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/engine/refusaltext.h"
#include "core/events/overlayevent.h"
#include "ui/common/editrunner.h"

#include <QObject>
#include <QStringList>

#include <optional>

namespace strata
{

class Stage;
class StackSidebar;
class Timeline;
class Workspace;

/// How an edit ended, shown where the class looks: the timeline's row, the captions of its
/// events, a refusal explained on the banner (with "Try again with redirect_dir=on" where one
/// option would allow it), and the overlays above that see the change.
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
        /// Why its options must stay as they are (a lesson's); empty: an option may change.
        QString keepOptions;
    };
    /// What the window does with it.
    struct Shown {
        int error = 0; ///< 0 done, else the errno of the refusal
        QString status; ///< the status line's words
        QString failure; ///< not empty: the edit could not start; the window says so louder
    };

    explicit EditOutcome(const Parts &parts, QObject *parent = nullptr);

    /// Shows how `done` ended; `edit` (the verb and its arguments) is what "Try again" repeats.
    [[nodiscard]] Shown show(const EditRunner::Done &done, const QStringList &edit, const Stack &stack);
    /// Edits another program made (the watcher saw them): shown as ours are.
    void showOutside(const QList<OverlayEvent> &events, const Stack &stack);
    /// A refused edit in words: the errno, and which option would allow it; then `detail`.
    [[nodiscard]] static QString refusalText(int error, const QString &verb, const QString &detail, const Stack &stack);
    /// The option the banner offers to try again with (none when it shows no button).
    [[nodiscard]] const std::optional<RefusalText::Remedy> &offered() const { return m_offered; }

Q_SIGNALS:
    /// "Try again with option=value" was clicked: remount with it, then make `edit` again.
    void retryRequested(const strata::RefusalText::Remedy &remedy, const QStringList &edit);

private:
    void showRefusal(const QString &command,
        const RefusalText &refusal,
        const QString &verb,
        const QStringList &edit,
        const Stack &stack);
    /// The edit as a shell command in the overlay's mountpoint ("echo … > overlay/f").
    [[nodiscard]] static QString shellCommand(const QStringList &edit, const Stack &stack);
    void showPropagation(const QList<OverlayEvent> &events, const Stack &stack);

    Parts m_parts;
    std::optional<RefusalText::Remedy> m_offered;
    QStringList m_refusedEdit;
    QString m_retried; // the option the edit shown next was tried again with
};

} // namespace strata
