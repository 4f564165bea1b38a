// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/subcommandfamily.h"

namespace strata
{

class ArchiveStore;
class ArgParser;

/// `strata image ...`: image archives (`docker save`, OCI layouts) read in place, or
/// extracted as an overlay stack (docs/cli.md, "Image archives").
class ImageCommands final : public SubcommandFamily
{
public:
    explicit ImageCommands(Console &console);

    /// `args` start after "image".
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

    [[nodiscard]] static QString usage();

private:
    int images(const ArchiveStore &store, bool json);
    int layers(const ArchiveStore &store, qsizetype image, bool json);
    int tree(const ArchiveStore &store, qsizetype image, const ArgParser &p);
    int search(const QString &cmd, const ArgParser &p);
    int commit(const ArgParser &p);
    int extract(const ArchiveStore &store, qsizetype image, const QString &dir, bool json);
};

} // namespace strata
