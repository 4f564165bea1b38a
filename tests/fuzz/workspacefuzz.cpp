// SPDX-License-Identifier: GPL-2.0-or-later
// The workspace file: whatever it holds, an error or a workspace whose every overlay has its
// layers and mount commands, and that writes itself back as the same workspace.
#include "tests/fuzz/fuzztargets.h"

#include "core/stack/mountcommand.h"
#include "core/stack/workspace.h"

namespace strata::fuzz
{

void workspace(const std::uint8_t *data, std::size_t size)
{
    // A base directory that does not exist: relative paths resolve, nothing is found on disk.
    const QString base = QStringLiteral("/nonexistent/strata-fuzz/ws");
    auto ws = Workspace::fromJson(bytes(data, size), base, QStringLiteral("fuzz.json"));
    if (!ws) {
        require(!ws.error().message.isEmpty(), "a refused workspace says why");
        return;
    }
    require(!ws->overlays().isEmpty(), "a workspace has an overlay");
    for (int i = 0; i < ws->overlays().size(); ++i) {
        const OverlaySpec &spec = ws->overlays().at(i);
        auto layers = ws->mergeLayers(i);
        require(layers.ok(), "a loaded workspace has the layers of every overlay");
        require(!layers->isEmpty(), "an overlay has a layer");
        if (!spec.name.isEmpty()) {
            auto index = ws->overlayIndex(spec.name);
            require(index.ok() && *index == i, "overlay names are unique");
        }
        for (int d : ws->dependents(i))
            require(d > i && d < ws->overlays().size(), "dependents come later in mount order");
        (void)ws->stackedOn(i);
        (void)MountCommand::shellCommand(spec);
        (void)MountCommand::fuseCommand(spec);
        (void)spec.options.mountOptionList();
    }
    const QByteArray written = ws->toJson();
    auto again = Workspace::fromJson(written, base, QStringLiteral("again.json"));
    require(again.ok(), "a workspace reads back what it writes");
    require(again->toJson() == written, "writing a workspace read back changes nothing");
}

} // namespace strata::fuzz
