// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/subcommandfamily.h"

namespace strata
{

class ArgParser;
class ContainerdStore;

/// `strata containerd ...`: a containerd root read in place, one namespace at a time, with the
/// verbs and JSON fields of `strata docker` (docs/cli.md, "containerd").
class ContainerdCommands final : public SubcommandFamily
{
public:
    explicit ContainerdCommands(Console &console);

    /// `args` start after "containerd".
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

    [[nodiscard]] static QString usage();

    /// One verb over an opened store (`strata docker` on a Docker 29 root comes here too).
    [[nodiscard]] int dispatch(const QString &cmd, const ContainerdStore &store, const ArgParser &p);

private:
    int namespaces(const ContainerdStore &store, bool json);
    int images(const ContainerdStore &store, bool json);
    int layers(const ContainerdStore &store, const QString &ref, bool json);
    int containers(const ContainerdStore &store, bool json);
};

} // namespace strata
