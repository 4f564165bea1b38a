// SPDX-License-Identifier: GPL-2.0-or-later
#include "fingerprint.h"

#include "tests/support/dirnames.h"

#include <QCryptographicHash>
#include <QFile>
#include <QStringList>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::test
{

namespace
{
void walk(const QByteArray &path, const QByteArray &rel, QList<QByteArray> &lines)
{
    const auto listed = dirNames(path);
    if (!listed) {
        return;
    }
    const QList<QByteArray> &names = *listed;
    for (const QByteArray &n : names) {
        const QByteArray p = path + '/' + n;
        struct stat st {
        };
        if (::lstat(p.constData(), &st) != 0)
            continue;
        QByteArray line = rel + '/' + n + ' ' + QByteArray::number(st.st_mode, 8) + ' ' + QByteArray::number(st.st_size)
            + ' ' + QByteArray::number(static_cast<qint64>(st.st_mtim.tv_sec)) + '.'
            + QByteArray::number(static_cast<qint64>(st.st_mtim.tv_nsec)) + ' ' + QByteArray::number(st.st_rdev);
        if (S_ISREG(st.st_mode)) {
            const int fd = ::open(p.constData(), O_RDONLY | O_CLOEXEC);
            QCryptographicHash h(QCryptographicHash::Sha1);
            char buf[65536];
            ssize_t r = 0;
            while (fd >= 0 && (r = ::read(fd, buf, sizeof buf)) > 0)
                h.addData(QByteArrayView(buf, r));
            if (fd >= 0)
                ::close(fd);
            line += ' ' + h.result().toHex();
        } else if (S_ISLNK(st.st_mode)) {
            char buf[4096];
            const ssize_t r = ::readlink(p.constData(), buf, sizeof buf);
            if (r > 0)
                line += ' ' + QByteArray(buf, r);
        }
        lines << line;
        if (S_ISDIR(st.st_mode))
            walk(p, rel + '/' + n, lines);
    }
}
} // namespace

QByteArray fingerprint(const QString &root)
{
    QList<QByteArray> lines;
    walk(QFile::encodeName(root), QByteArray(), lines);
    std::sort(lines.begin(), lines.end());
    QCryptographicHash h(QCryptographicHash::Sha1);
    for (const QByteArray &l : lines) {
        h.addData(l);
        h.addData("\n");
    }
    return h.result().toHex();
}

} // namespace strata::test
