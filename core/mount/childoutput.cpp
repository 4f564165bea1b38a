// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/mount/childoutput.h"

#include <QFile>

#include <cerrno>
#include <sys/mman.h>
#include <unistd.h>

namespace strata
{

ChildOutput::ChildOutput() : m_fd(::memfd_create("strata-child", MFD_CLOEXEC))
{
    if (m_fd < 0)
        m_error = errno;
}

ChildOutput::~ChildOutput()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QByteArray ChildOutput::takeAll()
{
    if (m_fd < 0)
        return {};
    QFile f;
    QByteArray all;
    if (::lseek(m_fd, 0, SEEK_SET) == 0 && f.open(m_fd, QIODevice::ReadOnly, QFileDevice::DontCloseHandle))
        all = f.readAll();
    ::close(m_fd);
    m_fd = -1;
    return all;
}

} // namespace strata
