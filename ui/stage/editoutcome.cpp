// SPDX-License-Identifier: GPL-2.0-or-later
#include "editoutcome.h"

#include "core/events/mergedoperation.h"
#include "core/stack/workspace.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/stacksidebar.h"
#include "ui/stage/stage.h"
#include "ui/stage/timeline.h"

#include <utility>

namespace strata
{

namespace
{
OverlayOptions optionsOf(const EditOutcome::Stack &stack)
{
    if (stack.workspace && stack.overlay >= 0 && stack.overlay < stack.workspace->overlays().size())
        return stack.workspace->overlays().at(stack.overlay).options;
    return {};
}
} // namespace

EditOutcome::EditOutcome(const Parts &parts, QObject *parent) : QObject(parent), m_parts(parts)
{
    connect(m_parts.stage->captions(), &CaptionBanner::retryClicked, this, [this] {
        if (!m_offered)
            return;
        m_retried = m_offered->text();
        Q_EMIT retryRequested(*m_offered, m_refusedEdit);
    });
}

EditOutcome::Shown EditOutcome::show(const EditRunner::Done &done, const QStringList &edit, const Stack &stack)
{
    m_offered.reset();
    Shown shown;
    const auto &outcome = done.outcome;
    if (!outcome) {
        // The overlay could not be mounted or opened for the edit (a third stacking level...).
        const Error &e = outcome.error();
        shown.error = done.opened ? EIO : EPERM;
        if (!e.code) {
            shown.failure = e.message;
            shown.status = e.message;
            return shown;
        }
        // The kernel's refusal is part of the lesson, not an accident: the stage and the
        // timeline show it as they show a refused edit (a dialog would stop the class).
        const QString mount = QStringLiteral("mount");
        shown.status = refusalText(e.code, mount, e.message, stack);
        const QString command = shellCommand(edit, stack);
        m_parts.timeline->addEdit(command, e.code, shown.status, {});
        showRefusal(command, RefusalText::explain(e.code, mount, optionsOf(stack)), mount, edit, stack);
        return shown;
    }
    shown.error = outcome->error;
    const QString refusal = shown.error ? refusalText(shown.error, done.verb, outcome->errorText, stack) : QString();
    m_parts.timeline->addEdit(outcome->command, outcome->error, refusal, outcome->events);
    m_parts.stage->play(outcome->events);
    if (shown.error) // the stage shows the explanation; the detail stays in the timeline
        showRefusal(
            outcome->command, RefusalText::explain(shown.error, done.verb, optionsOf(stack)), done.verb, edit, stack);
    shown.status = shown.error ? refusal
        : done.how.isEmpty()
        ? tr("%1 — %n event(s)", nullptr, int(outcome->events.size())).arg(outcome->command)
        : tr("%1 — %n event(s), %2", nullptr, int(outcome->events.size())).arg(outcome->command, done.how);
    if (const QString with = std::exchange(m_retried, {}); !with.isEmpty())
        shown.status = tr("Remounted with %1: %2").arg(with, shown.status);
    showPropagation(outcome->events, stack);
    return shown;
}

void EditOutcome::showRefusal(const QString &command,
    const RefusalText &refusal,
    const QString &verb,
    const QStringList &edit,
    const Stack &stack)
{
    QString text = refusal.text(verb);
    QString retry;
    if (refusal.retryWith && stack.keepOptions.isEmpty()) {
        m_offered = refusal.retryWith;
        m_refusedEdit = edit;
        retry = tr("Try again with %1").arg(refusal.retryWith->text());
    } else if (refusal.retryWith) {
        text += QLatin1Char(' ') + stack.keepOptions; // why there is no button
    }
    m_parts.stage->captions()->showRefusal(command, text, retry);
}

QString EditOutcome::shellCommand(const QStringList &edit, const Stack &stack)
{
    const auto op = MergedOperation::parse(edit);
    if (!op || !stack.workspace || stack.overlay < 0 || stack.overlay >= stack.workspace->overlays().size())
        return edit.join(QLatin1Char(' '));
    return op->shellCommand(stack.workspace->displayPath(stack.workspace->overlays().at(stack.overlay).mountpoint));
}

void EditOutcome::showOutside(const QList<OverlayEvent> &events, const Stack &stack)
{
    m_parts.timeline->addEdit(tr("outside the app"), 0, QString(), events);
    m_parts.stage->play(events);
    showPropagation(events, stack);
}

void EditOutcome::showPropagation(const QList<OverlayEvent> &events, const Stack &stack)
{
    if (events.isEmpty() || !stack.workspace || stack.overlay < 0)
        return;
    // A multi-level stack: an edit here is part of the lower layers of the overlays above.
    QStringList paths;
    for (const OverlayEvent &e : events) {
        if (!paths.contains(e.path))
            paths << e.path;
    }
    const Workspace &ws = *stack.workspace;
    const QString from = ws.overlays().at(stack.overlay).name;
    for (int j : ws.dependents(stack.overlay))
        m_parts.sidebar->flagEditBelow(j, from, ws.overlays().at(j).name, paths);
}

QString EditOutcome::refusalText(int error, const QString &verb, const QString &detail, const Stack &stack)
{
    // The kernel's errno explained first, then what exactly was refused (the path, the layer).
    const QString text = RefusalText::explain(error, verb, optionsOf(stack)).text(verb);
    return detail.isEmpty() ? text : text + QStringLiteral(" — ") + detail;
}

} // namespace strata
