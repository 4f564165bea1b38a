// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QStringList>

#include <optional>

namespace strata
{

/// Reads what the kernel logs from now on (/dev/kmsg), for the overlay errors and warnings
/// that never reach the fs-context fd (reference/overlayfs.md §20.3). Needs root or
/// kernel.dmesg_restrict=0; without it, isAvailable() is false and nothing is read.
/// The log does not say which mount a line is about. A kernel with CONFIG_PRINTK_CALLER says
/// which thread logged it, and lines of other threads are dropped; without it, while one
/// KernelLog reads, the others of every Stratascope process on the host wait (a lock, for at
/// most a few seconds): the lines one reads come from its own mount, not a concurrent one's.
class KernelLog final
{
public:
    KernelLog();
    ~KernelLog();
    KernelLog(const KernelLog &) = delete;
    KernelLog &operator=(const KernelLog &) = delete;

    /// Opens /dev/kmsg for the KernelLogs this process makes later: a process about to enter
    /// a user namespace calls it first, since inside it may no longer open the log.
    static void openForLater();

    [[nodiscard]] bool isAvailable() const { return m_fd >= 0; }
    /// Messages logged since construction (or the last call) that mention overlayfs,
    /// without the "overlayfs: " prefix.
    [[nodiscard]] QStringList readOverlayMessages();
    /// One /dev/kmsg record ("prio,seq,time,flags[,caller=T<tid>];message\n..."): its
    /// overlay message without the prefix, or nothing when it is not one or another thread
    /// than `threadId` logged it (-1: whichever thread).
    [[nodiscard]] static std::optional<QString> overlayMessage(const QByteArray &record, long threadId);

private:
    int m_fd = -1;
    int m_lockFd = -1;
};

} // namespace strata
