// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernelmount.h"

#include "core/mount/mountinfo.h"
#include "tests/support/layerstack.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>

namespace strata::test
{

namespace
{
// The lowers as mount() joins them, data-only layers after "::" each (lowerdir=a:b::d1::d2).
QStringList withData(QStringList lowers, const QStringList &dataLowers)
{
    for (const QString &d : dataLowers)
        lowers << QLatin1Char(':') + d;
    return lowers;
}
} // namespace

KernelMount::~KernelMount()
{
    unmount();
}

bool KernelMount::mount(const OverlaySpec &spec)
{
    return mount(withData(spec.lower, spec.dataLower),
        spec.upper,
        spec.work,
        spec.mountpoint,
        spec.options.mountOptionList().join(QLatin1Char(',')));
}

bool KernelMount::mount(const LayerStack &stack, const QString &extraOptions)
{
    return mount(
        withData(stack.lowers(), stack.dataLowers()), stack.upper(), stack.work(), stack.mountpoint(), extraOptions);
}

bool KernelMount::mount(const QStringList &lowers,
    const QString &upper,
    const QString &work,
    const QString &target,
    const QString &extraOptions)
{
    QStringList opts;
    opts << QStringLiteral("lowerdir=") + lowers.join(QLatin1Char(':'));
    if (!upper.isEmpty())
        opts << QStringLiteral("upperdir=") + upper << QStringLiteral("workdir=") + work;
    if (!extraOptions.isEmpty())
        opts << extraOptions;
    const QByteArray data = QFile::encodeName(opts.join(QLatin1Char(',')));
    if (::mount("overlay", QFile::encodeName(target).constData(), "overlay", 0, data.constData()) != 0) {
        m_error = QStringLiteral("mount -t overlay -o %1 %2: %3")
                      .arg(QString::fromLocal8Bit(data), target, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_target = target;
    m_mounted = true;
    return true;
}

bool KernelMount::unmount()
{
    if (!m_mounted)
        return true;
    if (::umount2(QFile::encodeName(m_target).constData(), 0) != 0) {
        m_error = QStringLiteral("umount %1: %2").arg(m_target, QString::fromLocal8Bit(std::strerror(errno)));
        ::umount2(QFile::encodeName(m_target).constData(), MNT_DETACH);
    }
    m_mounted = false;
    return true;
}

int overlayMountsUnder(const QString &dir)
{
    int n = 0;
    auto m = MountInfo::read();
    for (const auto &e : m ? *m : QList<MountInfo::Entry>()) {
        if (e.isAnyOverlay() && e.mountPoint.startsWith(dir))
            ++n;
    }
    return n;
}

} // namespace strata::test
