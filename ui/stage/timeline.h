// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"

#include <QList>
#include <QTreeWidget>

namespace strata
{

/// Every edit, newest last: the command (or "outside the app"), and below it each event with
/// its path, the layers it concerns and what happened, in words with an icon. Clicking a row
/// selects its path; double-clicking plays the edit (or the one event) again.
class Timeline final : public QTreeWidget
{
    Q_OBJECT
public:
    explicit Timeline(QWidget *parent = nullptr);

    /// One edit and its events; `error` non-zero: it was refused, and `errorText` says why.
    void addEdit(const QString &command, int error, const QString &errorText, const QList<OverlayEvent> &events);
    /// Keeps the first `count` edits (a lesson going back a step drops the later ones).
    void truncate(int count);

Q_SIGNALS:
    void replayRequested(const QList<strata::OverlayEvent> &events);
    void pathChosen(const QString &path);
};

} // namespace strata
