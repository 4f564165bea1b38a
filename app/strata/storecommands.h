// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/containerdiff.h"
#include "core/util/result.h"

#include <QString>

namespace strata
{

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

    explicit StoreCommands(Console &console) : m_console(console) { }

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
