// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/backendpolicy.h"

#include <QString>

namespace strata
{

/// Help → Report a Problem: the facts a bug report needs, as plain text to copy — the version,
/// the Qt it runs on, the kernel and distribution, the overlay module's defaults, which
/// backends work here and why not, and what the window has open. Nothing is sent anywhere.
class ProblemReport final
{
public:
    struct Context {
        QString workspace; ///< the open workspace file, or empty
        QString overlay; ///< the selected overlay's name
        QString backend; ///< the backend edits go through ("automatic: kernel overlayfs (root)")
        QString platform; ///< the GUI's platform and screens, or empty (the core knows none)
    };

    [[nodiscard]] static QString text(const Context &context, const BackendPolicy &policy = BackendPolicy());
    /// PRETTY_NAME of os-release (`root` for tests: a directory holding etc/os-release).
    [[nodiscard]] static QString distribution(const QString &root = QStringLiteral("/"));
    /// The overlay module's parameters (/sys/module/overlay/parameters): "index=N metacopy=N ...".
    [[nodiscard]] static QString overlayDefaults(const QString &dir = QStringLiteral("/sys/module/overlay/parameters"));
};

} // namespace strata
