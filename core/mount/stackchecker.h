// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/backend.h"
#include "core/stack/workspace.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace strata
{

/// `strata check WS` (and the builder's Check button): the kernel itself tries every overlay
/// of a workspace, in order, in a throwaway private mount namespace (a user namespace too for
/// a normal user), so nothing stays mounted and nothing on the host changes.
class StackChecker final
{
public:
    struct Overlay {
        QString name;
        bool accepted = false;
        bool tried = true; ///< false: it stacks on an overlay the kernel refused
        int error = 0;
        QString step; ///< where the kernel refused: "fsconfig lowerdir+ /x", "create", ...
        QStringList kernelMessages; ///< the kernel's own words (refusal or warnings)
        QString explanation; ///< plain words, and the change that would make it work
        QString mountCommand;
    };

    /// `backend`: Kernel (root) or Userns; Auto picks the one that works here.
    [[nodiscard]] static Result<QVector<Overlay>> check(const Workspace &workspace, Backend backend = Backend::Auto);
};

} // namespace strata
