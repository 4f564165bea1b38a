// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/engine/overlayengine.h"
#include "core/session/stacksession.h"
#include "core/stack/workspace.h"

#include <memory>
#include <optional>

namespace strata
{

/// Edits performed by the userspace OverlayEngine on the layer directories: no mount, no
/// privilege. Events are the engine's own steps (work_temp, copy_up, whiteout ...), exact.
/// Edits of an overlay that is mounted are refused (EBUSY, with a sentence): the kernel owns
/// its layers then. The engine's lock serialises this session with every other one.
class EngineSession final : public StackSession
{
public:
    [[nodiscard]] static Result<EngineSession> open(const Workspace &workspace, int overlayIndex);

    [[nodiscard]] Result<Outcome> apply(const MergedOperation &operation) override;
    [[nodiscard]] QString describe() const override;

private:
    EngineSession(const Workspace &workspace, int overlayIndex, OverlayEngine::Config config);
    /// Where the overlay is mounted in this namespace (by any backend), if it is.
    [[nodiscard]] std::optional<QString> liveMount() const;

    Workspace m_workspace;
    int m_index;
    std::unique_ptr<OverlayEngine> m_engine;
};

} // namespace strata
