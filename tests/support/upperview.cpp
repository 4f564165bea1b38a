// SPDX-License-Identifier: GPL-2.0-or-later
#include "upperview.h"

#include "tests/support/dirnames.h"

#include <QCryptographicHash>
#include <QFile>
#include <QList>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace strata::test
{

UpperView UpperView::take(const QString &upper, XattrNamespace ns)
{
    UpperView v;
    v.walk(QFile::encodeName(upper), QByteArray(), ns);
    return v;
}

void UpperView::walk(const QByteArray &abs, const QByteArray &rel, XattrNamespace ns)
{
    const auto listed = dirNames(abs);
    if (!listed) {
        return;
    }
    const QList<QByteArray> &names = *listed;
    const QByteArray prefix = OverlayXattrs::prefix(ns);
    for (const QByteArray &n : names) {
        const QByteArray p = abs + '/' + n;
        const QByteArray r = rel + '/' + n;
        struct stat st {
        };
        if (::lstat(p.constData(), &st) != 0)
            continue;
        QByteArray desc;
        auto markers = [&](std::initializer_list<const char *> keys) {
            for (const char *key : keys) {
                char buf[4096];
                const ssize_t len = ::lgetxattr(p.constData(), QByteArray(prefix + key).constData(), buf, sizeof buf);
                if (len >= 0)
                    desc += ' ' + QByteArray(key) + '=' + QByteArray(buf, len);
            }
        };
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
            desc = "whiteout";
        } else {
            desc = QByteArray::number(st.st_mode, 8) + " uid=" + QByteArray::number(st.st_uid)
                + " gid=" + QByteArray::number(st.st_gid);
            if (S_ISREG(st.st_mode)) {
                QFile f(QFile::decodeName(p));
                desc += " size=" + QByteArray::number(st.st_size);
                if (f.open(QIODevice::ReadOnly)) {
                    desc += " sha1=" + QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha1).toHex().left(10);
                    // A metacopy file's data stays below: it is one hole of the data's size.
                    if (st.st_size > 0 && ::lseek(f.handle(), 0, SEEK_DATA) < 0 && errno == ENXIO)
                        desc += " hole";
                }
                markers({"metacopy", "redirect"});
            } else if (S_ISLNK(st.st_mode)) {
                char buf[4096];
                const ssize_t len = ::readlink(p.constData(), buf, sizeof buf);
                desc += " -> " + QByteArray(buf, len > 0 ? len : 0);
            } else if (S_ISDIR(st.st_mode)) {
                markers({"opaque", "redirect"});
            }
        }
        // Every other xattr must be equal too, escaped overlay ones included (not the
        // overlay's own, nor security.*).
        char names[4096];
        const ssize_t len = ::llistxattr(p.constData(), names, sizeof names);
        QList<QByteArray> userAttrs;
        for (ssize_t pos = 0; pos < len;) {
            const QByteArray attr(names + pos);
            pos += attr.size() + 1;
            if (!OverlayXattrs::isPrivateName(std::string_view(attr.constData(), attr.size()), ns)
                && !attr.startsWith("security."))
                userAttrs << attr;
        }
        std::sort(userAttrs.begin(), userAttrs.end());
        for (const QByteArray &attr : userAttrs) {
            char value[1024];
            const ssize_t vlen = ::lgetxattr(p.constData(), attr.constData(), value, sizeof value);
            desc += ' ' + attr + '=' + QByteArray(value, vlen > 0 ? vlen : 0);
        }
        m_entries.insert(r, desc);
        if (S_ISDIR(st.st_mode))
            walk(p, r, ns);
    }
}

QStringList UpperView::strayEntries(const QList<UpperView> &allowed) const
{
    QStringList out;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const bool known = std::any_of(
            allowed.begin(), allowed.end(), [&it](const UpperView &v) { return v.m_entries.value(it.key()) == *it; });
        if (!known)
            out << QString::fromUtf8(it.key().toPercentEncoding("/") + "  " + *it);
    }
    return out;
}

QString UpperView::diff(const UpperView &other, const QString &leftName, const QString &rightName) const
{
    QStringList out;
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        const auto o = other.m_entries.constFind(it.key());
        if (o == other.m_entries.cend())
            out << QStringLiteral("  only in %1 upper: %2  %3")
                       .arg(
                           leftName, QString::fromUtf8(it.key().toPercentEncoding("/")), QString::fromUtf8(it.value()));
        else if (*o != *it)
            out << QStringLiteral("  differs: %1\n    %2: %3\n    %4: %5")
                       .arg(QString::fromUtf8(it.key().toPercentEncoding("/")),
                           leftName,
                           QString::fromUtf8(it.value()),
                           rightName,
                           QString::fromUtf8(*o));
    }
    for (auto it = other.m_entries.begin(); it != other.m_entries.end(); ++it) {
        if (!m_entries.contains(it.key()))
            out << QStringLiteral("  only in %1 upper: %2  %3")
                       .arg(rightName,
                           QString::fromUtf8(it.key().toPercentEncoding("/")),
                           QString::fromUtf8(it.value()));
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace strata::test
