// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>

namespace strata
{

/// One line of `docker diff` (and `podman diff`, `nerdctl diff`): a path of the container's
/// filesystem and how it changed.
struct ContainerChange {
    enum class Kind : char { Added = 'A', Changed = 'C', Deleted = 'D' };
    QByteArray path; ///< "/etc/secret": bytes as on disk
    Kind kind = Kind::Changed;

    [[nodiscard]] char letter() const { return static_cast<char>(kind); }
};

} // namespace strata
