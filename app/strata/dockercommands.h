// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/subcommandfamily.h"

namespace strata
{

class ArgParser;
class DockerHost;
struct DockerContainer;
struct DockerImage;

/// `strata docker ...`: the read-only Docker host explorer on the command line
/// (docs/docker.md describes every subcommand and its JSON).
class DockerCommands final : public SubcommandFamily
{
public:
    explicit DockerCommands(Console &console);

    /// `args` start after "docker".
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

    [[nodiscard]] static QString usage();

private:
    int runContainerd(const QString &cmd, const ArgParser &p);
    int images(const DockerHost &host, bool json, bool all);
    int layers(const DockerHost &host, const DockerImage &img, bool json);
    int containers(const DockerHost &host, bool json);

    void warnProblems(const DockerHost &host);
};

} // namespace strata
