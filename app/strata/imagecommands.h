// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"
#include "app/strata/console.h"

namespace strata
{

class ArchiveStore;
class ArgParser;

/// `strata image ...`: image archives (`docker save`, OCI layouts) read in place, never
/// extracted (docs/cli.md, "Image archives").
class ImageCommands final : public CommandFamily
{
public:
    explicit ImageCommands(Console &console);

    [[nodiscard]] QStringList commands() const override;
    [[nodiscard]] QString synopsis() const override;
    [[nodiscard]] QString help(const QString &command) const override;
    /// `args` start after "image".
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

    [[nodiscard]] static QString usage();

private:
    int images(const ArchiveStore &store, bool json);
    int layers(const ArchiveStore &store, qsizetype image, bool json);
    int tree(const ArchiveStore &store, qsizetype image, const ArgParser &p);
    int usageError(const QString &message);

    Console &m_console;
};

} // namespace strata
