// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QIODevice>
#include <QStringList>

namespace strata
{

class DockerHost;

/// `strata docker ...`: the read-only Docker host explorer on the command line
/// (docs/docker.md describes every subcommand and its JSON).
class DockerCli final
{
public:
    DockerCli(QIODevice &out, QIODevice &err);
    /// `args` starts after "docker". Returns the exit code (0, 1 failure, 2 usage).
    [[nodiscard]] int run(const QStringList &args);

    [[nodiscard]] static QString usage();

private:
    int cmdImages(const DockerHost &host, bool json, bool all);
    int cmdLayers(const DockerHost &host, const QString &ref, bool json);
    int cmdContainers(const DockerHost &host, bool json);
    int cmdDiff(const DockerHost &host, const QString &ref, bool json);
    int cmdSearch(const DockerHost &host, bool grep, const QString &what, const QString &in, bool json, bool progress);
    int cmdExplain(const DockerHost &host, const QString &ref, const QString &path, bool json);

    void print(const QString &text);
    void write(const std::string &bytes);
    void warnProblems(const DockerHost &host);
    int usageError(const QString &message);
    int failure(const QString &message);

    QIODevice &m_out;
    QIODevice &m_err;
};

} // namespace strata
