// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/util/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace strata
{

class ArgParser;
class Console;
class ImageStore;
struct StoreContainer;

/// The verbs every store family answers alike (`strata docker`, `strata containerd`): diff,
/// find, grep, explain and tree over an ImageStore, for people and as JSON (docs/docker.md).
class StoreCommands final
{
public:
    struct Search {
        bool grep = false;
        QString what; ///< the glob or the text
        QString in; ///< only the layers of this container or image
        bool json = false;
        bool progress = false;
    };

    /// One verb of a store family: its operands, flags and valued options, and its synopsis.
    struct Verb {
        int operands = 0;
        QStringList flags;
        QStringList values;
        QString synopsis;
    };

    explicit StoreCommands(Console &console) : m_console(console) { }

    /// What every store family answers: images, layers REF, containers, diff CTR, tree REF
    /// [--visible], find GLOB [--in REF], grep TEXT [--in REF] [--progress], explain REF PATH.
    [[nodiscard]] static QHash<QString, Verb> verbs();
    /// Parses the arguments after the verb `cmd` of `family` ("podman") into `p`, which knows
    /// the verb's options and the family's (`storeOptions`: "root"…, each needing a value).
    /// nullopt when they are good, else the exit status of the usage error written.
    [[nodiscard]] std::optional<int> parse(ArgParser &p,
        const QString &family,
        const QString &cmd,
        const Verb &verb,
        const QStringList &storeOptions,
        const QStringList &args);
    /// `tree`, `find`, `grep` or `explain` over `store` with the parsed arguments; nullopt for
    /// another verb.
    [[nodiscard]] std::optional<int> common(const QString &cmd, const ImageStore &store, const ArgParser &p);

    /// `diff CTR`: the A/C/D lines of `docker diff`, or {container, name, upper_dir, warnings,
    /// changes}.
    [[nodiscard]] int diff(const StoreContainer &c, const Result<ContainerDiff::Output> &diff, bool json);
    /// `find GLOB` / `grep TEXT` over the store's layer directories, streamed.
    [[nodiscard]] int search(const ImageStore &store, const Search &s);
    /// `explain REF PATH`: every layer that has PATH, which copy wins.
    [[nodiscard]] int explain(const ImageStore &store, const QString &ref, const QString &path, bool json);
    /// `tree REF`: the merged view of a container (or else an image) with provenance, as
    /// `strata tree` writes it; `visible`: what the container sees, whiteouts left out.
    [[nodiscard]] int tree(const ImageStore &store, const QString &ref, bool visible, bool json);

private:
    Console &m_console;
};

} // namespace strata
