// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QIODevice>
#include <QStringList>

namespace strata
{

class Workspace;

/// `strata mount | umount | status | mounts | op | shell`: mounting stacks and editing them.
class StackCli final
{
public:
    StackCli(QIODevice &out, QIODevice &err);

    [[nodiscard]] int mount(const QStringList &args);
    [[nodiscard]] int umount(const QStringList &args);
    [[nodiscard]] int status(const QStringList &args);
    [[nodiscard]] int mounts(const QStringList &args);
    [[nodiscard]] int op(const QStringList &args);
    [[nodiscard]] int shell(const QStringList &args);
    [[nodiscard]] int events(const QStringList &args);

private:
    int usageError(const QString &message);
    int failure(const QString &message);
    void print(const QString &text);
    void warn(const QString &text);

    QIODevice &m_out;
    QIODevice &m_err;
};

} // namespace strata
