// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/subcommandfamily.h"

namespace strata
{

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
    struct Search {
        bool grep = false;
        QString what; ///< the glob or the text
        QString in; ///< only the layers of this image or container
        bool json = false;
        bool progress = false;
    };

    int images(const DockerHost &host, bool json, bool all);
    int layers(const DockerHost &host, const DockerImage &img, bool json);
    int containers(const DockerHost &host, bool json);
    int diff(const DockerHost &host, const DockerContainer &c, bool json);
    int search(const DockerHost &host, const Search &s);
    int explain(const DockerHost &host, const QString &ref, const QString &path, bool json);

    void warnProblems(const DockerHost &host);
};

} // namespace strata
