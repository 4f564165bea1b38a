// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "app/strata/commandfamily.h"

namespace strata
{

class Console;
struct ImageComparison;

/// `strata compare IMAGE_A IMAGE_B` (docs/analysis.md): what B changes against A, each image
/// from any store (`docker:REF`, an archive's path, ...), and the layers they share.
class CompareCommands final : public CommandFamily
{
public:
    explicit CompareCommands(Console &console);

    [[nodiscard]] QStringList commands() const override;
    [[nodiscard]] QString synopsis() const override;
    [[nodiscard]] QString help(const QString &command) const override;
    [[nodiscard]] int run(const QString &command, const QStringList &args) override;

private:
    [[nodiscard]] int report(const ImageComparison &c, bool json);

    Console &m_console;
};

} // namespace strata
