// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/mergedoperation.h"
#include "core/events/overlayevent.h"
#include "core/util/result.h"
#include "core/util/status.h"

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
        Status status; ///< how the edit ended: ok, or its Error (the errno, and a sentence)
        int error = 0; ///< status's errno, 0 when it worked
        QString errorText; ///< status's sentence, plain words for a failed edit
        QString command; ///< the shell equivalent
        QList<OverlayEvent> events;

        /// Records a failed edit in status, error and errorText alike.
        void fail(Error e)
        {
            error = e.code;
            errorText = e.message;
            status = std::move(e);
        }
    };

    virtual ~StackSession() = default;
    [[nodiscard]] virtual Result<Outcome> apply(const MergedOperation &operation) = 0;
    /// How edits reach the overlay, for people: "on the mounted overlay", "in a private userns mount"...
    [[nodiscard]] virtual QString describe() const = 0;
};

} // namespace strata
