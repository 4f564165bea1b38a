// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/mergedoperation.h"
#include "core/events/overlayevent.h"
#include "core/util/result.h"

#include <QList>
#include <QString>

namespace strata
{

/// The one seam edits go through (DESIGN.md): an open overlay of a workspace that the user
/// edits. A kernel session edits a real mount and learns what happened from the upper layer;
/// an engine session (userspace engine) reports each step it takes. Both give the same events.
class StackSession
{
public:
    struct Outcome {
        int error = 0; ///< errno of the edit, 0 when it worked
        QString errorText; ///< plain words for a failed edit
        QString command; ///< the shell equivalent
        QList<OverlayEvent> events;
    };

    virtual ~StackSession() = default;
    [[nodiscard]] virtual Result<Outcome> apply(const MergedOperation &operation) = 0;
    /// How edits reach the overlay, for people: "on the mounted overlay", "in a private userns mount"...
    [[nodiscard]] virtual QString describe() const = 0;
};

} // namespace strata
