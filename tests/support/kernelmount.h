// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayspec.h"

#include <QString>
#include <QStringList>

namespace strata::test
{

class LayerStack;

/// A real overlay mount for tests (mount(2)), unmounted by the destructor. Tests run in a
/// private mount namespace as well, so nothing can leak even on a crash.
class KernelMount final
{
public:
    KernelMount() = default;
    ~KernelMount();
    KernelMount(const KernelMount &) = delete;
    KernelMount &operator=(const KernelMount &) = delete;

    /// lowers top first; upper/work may be empty for a read-only overlay.
    bool mount(const QStringList &lowers,
        const QString &upper,
        const QString &work,
        const QString &target,
        const QString &extraOptions);
    /// The overlay of a workspace at its mount point, with the workspace's own options.
    bool mount(const OverlaySpec &spec);
    /// The overlay of a test's layer stack at its mount point.
    bool mount(const LayerStack &stack, const QString &extraOptions);
    bool unmount();
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] const QString &target() const { return m_target; }

private:
    QString m_target;
    QString m_error;
    bool m_mounted = false;
};

/// How many overlays (kernel or fuse) are mounted at or below `dir` in this namespace.
[[nodiscard]] int overlayMountsUnder(const QString &dir);

} // namespace strata::test
