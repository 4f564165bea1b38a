// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/subcommandfamily.h"

namespace strata
{

class ArgParser;
class PodmanStore;

/// `strata podman ...`: a containers-storage store (Podman's) read in place, with the verbs and
/// JSON fields of `strata docker` and `strata containerd` (docs/cli.md, "Podman").
class PodmanCommands final : public SubcommandFamily
{
public:
    explicit PodmanCommands(Console &console);

    /// `args` start after "podman".
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

    [[nodiscard]] static QString usage();

private:
    int images(const PodmanStore &store, bool json);
    int layers(const PodmanStore &store, const QString &ref, bool json);
    int containers(const PodmanStore &store, bool json);
};

} // namespace strata
