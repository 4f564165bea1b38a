// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>

#include <string>
#include <string_view>
#include <vector>

namespace strata
{

/// A directory that files are made in from names nobody checked (a layer tar's members):
/// every directory is opened below it with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
/// RESOLVE_NO_MAGICLINKS), or one O_NOFOLLOW component at a time where openat2 is missing,
/// so no symlink is ever followed and nothing outside is reached. The caller creates names
/// with the *at() calls relative to the fds it hands out.
class BeneathDir final
{
public:
    /// Takes `fd` (an open directory) over.
    explicit BeneathDir(int fd) : m_fd(fd) { }
    ~BeneathDir();
    BeneathDir(const BeneathDir &) = delete;
    BeneathDir &operator=(const BeneathDir &) = delete;

    [[nodiscard]] int fd() const { return m_fd; }
    /// The directory made of the first `count` of `parts` (plain names: no "", ".", ".." or
    /// "/"), missing ones made (0755) when `create`. The fd stays this object's, valid until
    /// the next call. ENOTDIR / ELOOP when a component is a file or a symlink.
    [[nodiscard]] Result<int> dir(const std::vector<std::string_view> &parts, std::size_t count, bool create);
    /// The same as a new fd, which the caller closes; nothing is made.
    [[nodiscard]] Result<int> openDir(const std::vector<std::string_view> &parts, std::size_t count) const;
    /// Forgets the directory dir() keeps open (after removing or replacing directories).
    void forget();

    /// Removes `name` in `dirFd` and, for a directory, everything in it, never following a
    /// symlink. 0 or an errno.
    [[nodiscard]] static int removeAt(int dirFd, const char *name);
    /// Whether this kernel has openat2 (the fallback is used when not, and in tests).
    [[nodiscard]] static bool hasOpenat2();
    /// Tests only: walk one component at a time, as on a kernel without openat2.
    void setWalkOnly(bool walk) { m_walkOnly = walk; }

private:
    [[nodiscard]] Result<int> open(const std::vector<std::string_view> &parts, std::size_t count, bool create) const;
    [[nodiscard]] Result<int> walk(const std::vector<std::string_view> &parts, std::size_t count, bool create) const;

    int m_fd = -1;
    int m_cachedFd = -1;
    std::string m_cachedPath;
    bool m_walkOnly = false;
};

} // namespace strata
