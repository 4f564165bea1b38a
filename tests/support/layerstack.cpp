// SPDX-License-Identifier: GPL-2.0-or-later
#include "layerstack.h"

#include "tests/support/dirnames.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata::test
{

namespace
{
QByteArray bytes(const QString &percentEncoded)
{
    return QByteArray::fromPercentEncoding(percentEncoded.toLatin1());
}

bool mkdirs(const QByteArray &path)
{
    QByteArray cur;
    const QList<QByteArray> parts = path.split('/');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i)
            cur += '/';
        cur += parts[i];
        if (cur.isEmpty())
            continue;
        struct stat st {
        };
        if (::lstat(cur.constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return false;
            continue;
        }
        if (::mkdir(cur.constData(), 0755) != 0)
            return false;
    }
    return true;
}
void removeTree(const QByteArray &path)
{
    struct stat st {
    };
    if (::lstat(path.constData(), &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        ::chmod(path.constData(), 0700);
        for (const QByteArray &n : dirNames(path).value_or(QList<QByteArray>()))
            removeTree(path + '/' + n);
        ::rmdir(path.constData());
    } else {
        ::unlink(path.constData());
    }
}
} // namespace

LayerStack::LayerStack(int lowerCount, bool withUpper, bool userXattr, int dataCount)
    : m_lowerCount(lowerCount), m_dataCount(dataCount), m_withUpper(withUpper), m_userXattr(userXattr)
{
    for (int i = 0; i < lowerCount; ++i)
        QDir(m_dir.path()).mkpath(QStringLiteral("L%1").arg(i));
    for (int i = 0; i < dataCount; ++i)
        QDir(m_dir.path()).mkpath(QStringLiteral("D%1").arg(i));
    QDir(m_dir.path()).mkpath(QStringLiteral("mnt"));
    if (withUpper) {
        QDir(m_dir.path()).mkpath(QStringLiteral("U"));
        QDir(m_dir.path()).mkpath(QStringLiteral("W"));
    }
}

LayerStack::~LayerStack()
{
    // QTemporaryDir cannot remove non-UTF-8 names, nor the mode-000 work/work the kernel
    // leaves behind: remove with POSIX calls.
    m_dir.setAutoRemove(false);
    removeTree(QFile::encodeName(m_dir.path()));
}

QString LayerStack::upper() const
{
    return m_withUpper ? m_dir.filePath(QStringLiteral("U")) : QString();
}

QString LayerStack::work() const
{
    return m_withUpper ? m_dir.filePath(QStringLiteral("W")) : QString();
}

QString LayerStack::mountpoint() const
{
    return m_dir.filePath(QStringLiteral("mnt"));
}

QStringList LayerStack::lowers() const
{
    QStringList out;
    for (int i = 0; i < m_lowerCount; ++i)
        out << m_dir.filePath(QStringLiteral("L%1").arg(i));
    return out;
}

QStringList LayerStack::dataLowers() const
{
    QStringList out;
    for (int i = 0; i < m_dataCount; ++i)
        out << m_dir.filePath(QStringLiteral("D%1").arg(i));
    return out;
}

MergeLayers LayerStack::mergeLayers() const
{
    MergeLayers layers;
    if (m_withUpper)
        layers.append(MergeLayer {upper(), QStringLiteral("U"), LayerRole::Upper, {}, {}});
    for (int i = 0; i < m_lowerCount; ++i)
        layers.append(MergeLayer {lowers().at(i), QStringLiteral("L%1").arg(i), LayerRole::Lower, {}, {}});
    for (int i = 0; i < m_dataCount; ++i) {
        MergeLayer data {dataLowers().at(i), QStringLiteral("D%1").arg(i), LayerRole::Lower, {}, {}};
        data.dataOnly = true;
        layers.append(data);
    }
    return layers;
}

QString LayerStack::layerDir(const QString &token) const
{
    if (token == QLatin1String("U"))
        return upper();
    if (token.startsWith(QLatin1Char('L'))) {
        bool ok = false;
        const int i = token.mid(1).toInt(&ok);
        if (ok && i >= 0 && i < m_lowerCount)
            return lowers().at(i);
    }
    if (token.startsWith(QLatin1Char('D'))) {
        bool ok = false;
        const int i = token.mid(1).toInt(&ok);
        if (ok && i >= 0 && i < m_dataCount)
            return dataLowers().at(i);
    }
    return {};
}

bool LayerStack::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool LayerStack::apply(const QStringList &spec)
{
    const QByteArray prefix = m_userXattr ? QByteArrayLiteral("user.overlay.") : QByteArrayLiteral("trusted.overlay.");
    for (const QString &line : spec) {
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() < 3)
            return fail(QStringLiteral("bad spec line: %1").arg(line));
        const QString dir = layerDir(f.at(0));
        if (dir.isEmpty())
            return fail(QStringLiteral("bad layer in: %1").arg(line));
        const QString &kind = f.at(1);
        const QByteArray path = QFile::encodeName(dir) + '/' + bytes(f.at(2));
        const QByteArray arg = f.size() > 3 ? bytes(f.at(3)) : QByteArray();
        const qsizetype slash = path.lastIndexOf('/');
        if (!mkdirs(path.left(slash)))
            return fail(QStringLiteral("cannot create parents for: %1").arg(line));
        const char *p = path.constData();
        int rc = 0;
        auto setX = [&](const char *name, const QByteArray &value) {
            const QByteArray full = prefix + name;
            return ::lsetxattr(p, full.constData(), value.constData(), static_cast<size_t>(value.size()), 0);
        };
        if (kind == QLatin1String("f") || kind == QLatin1String("xw") || kind == QLatin1String("mc")) {
            const int fd = ::open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            rc = fd < 0 ? -1 : 0;
            if (fd >= 0) {
                if (kind == QLatin1String("f") && !arg.isEmpty()
                    && ::write(fd, arg.constData(), static_cast<size_t>(arg.size())) != arg.size())
                    rc = -1;
                ::close(fd);
            }
            if (rc == 0 && kind == QLatin1String("xw"))
                rc = setX("whiteout", QByteArray());
            if (rc == 0 && kind == QLatin1String("mc"))
                rc = setX("metacopy", QByteArray());
        } else if (kind == QLatin1String("mr") && f.size() > 4) {
            const int fd = ::open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            rc = fd < 0 || ::ftruncate(fd, f.at(3).toLongLong()) != 0 ? -1 : 0;
            if (fd >= 0)
                ::close(fd);
            if (rc == 0)
                rc = setX("metacopy", QByteArray());
            if (rc == 0)
                rc = setX("redirect", bytes(f.at(4)));
        } else if (kind == QLatin1String("d")) {
            rc = mkdirs(path) ? 0 : -1;
        } else if (kind == QLatin1String("o") || kind == QLatin1String("x")) {
            rc = mkdirs(path)
                ? setX("opaque", kind == QLatin1String("o") ? QByteArrayLiteral("y") : QByteArrayLiteral("x"))
                : -1;
        } else if (kind == QLatin1String("r")) {
            rc = mkdirs(path) ? setX("redirect", arg) : -1;
        } else if (kind == QLatin1String("w")) {
            rc = ::mknod(p, S_IFCHR | 0000, makedev(0, 0));
        } else if (kind == QLatin1String("l")) {
            rc = ::symlink(arg.constData(), p);
        } else if (kind == QLatin1String("h")) {
            rc = ::link(QByteArray(QFile::encodeName(dir) + '/' + arg).constData(), p);
        } else if (kind == QLatin1String("p")) {
            rc = ::mkfifo(p, 0644);
        } else if (kind == QLatin1String("c")) {
            const QList<QByteArray> dev = arg.split(':');
            rc = dev.size() == 2 ? ::mknod(p, S_IFCHR | 0666, makedev(dev.at(0).toUInt(), dev.at(1).toUInt())) : -1;
        } else if (kind == QLatin1String("m")) {
            rc = ::chmod(p, static_cast<mode_t>(arg.toUInt(nullptr, 8)));
        } else {
            return fail(QStringLiteral("unknown kind in: %1").arg(line));
        }
        if (rc != 0)
            return fail(QStringLiteral("%1: %2").arg(line, QString::fromLocal8Bit(std::strerror(errno))));
    }
    return true;
}

} // namespace strata::test
