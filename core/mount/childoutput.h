// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>

namespace strata
{

/// Where a child in a throwaway namespace writes its answer: a memory file, so the child never
/// blocks on a reader, read by the parent once the child is over (StackChecker, OptionProbe).
class ChildOutput final
{
public:
    ChildOutput();
    ~ChildOutput();
    ChildOutput(const ChildOutput &) = delete;
    ChildOutput &operator=(const ChildOutput &) = delete;

    /// The descriptor to write to; -1 when it could not be made (error() says why).
    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] int error() const { return m_error; }
    /// Everything written to it, from the start; closes it.
    [[nodiscard]] QByteArray takeAll();

private:
    int m_fd = -1;
    int m_error = 0;
};

} // namespace strata
