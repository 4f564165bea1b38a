// SPDX-License-Identifier: GPL-2.0-or-later
#include "overlayxattrs.h"

#include <QString>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <sys/xattr.h>

namespace strata
{

QByteArray OverlayXattrs::prefix(XattrNamespace ns)
{
    return ns == XattrNamespace::Trusted ? QByteArrayLiteral("trusted.overlay.") : QByteArrayLiteral("user.overlay.");
}

namespace
{
// What follows the overlay's prefix in an escaped name (OVL_XATTR_ESCAPE_PREFIX).
constexpr std::string_view EscapePrefix = "overlay.";

// ovl_is_escaped_xattr(): with trusted.* the kernel compares one character less, so
// "trusted.overlay.overlay" followed by anything counts as escaped.
bool isEscaped(std::string_view name, XattrNamespace ns)
{
    const std::string_view escaped
        = ns == XattrNamespace::Trusted ? "trusted.overlay.overlay" : "user.overlay.overlay.";
    return name.substr(0, escaped.size()) == escaped;
}
} // namespace

bool OverlayXattrs::isPrivateName(std::string_view name, XattrNamespace ns)
{
    const QByteArray own = prefix(ns);
    return name.substr(0, static_cast<size_t>(own.size())) == std::string_view(own.constData(), own.size())
        && !isEscaped(name, ns);
}

QByteArray OverlayXattrs::escapedName(const QByteArray &name, XattrNamespace ns)
{
    const QByteArray own = prefix(ns);
    if (!name.startsWith(own))
        return name;
    return own + QByteArray(EscapePrefix.data(), EscapePrefix.size()) + name.mid(own.size());
}

std::optional<QByteArray> OverlayXattrs::listedName(const QByteArray &stored, XattrNamespace ns)
{
    const std::string_view view(stored.constData(), static_cast<size_t>(stored.size()));
    if (isPrivateName(view, ns))
        return std::nullopt;
    if (!isEscaped(view, ns))
        return stored;
    const qsizetype own = prefix(ns).size();
    return stored.left(own) + stored.mid(own + static_cast<qsizetype>(EscapePrefix.size()));
}

int OverlayXattrs::writeOpaque(const char *path, XattrNamespace ns)
{
    const QByteArray name = prefix(ns).append("opaque");
    return ::lsetxattr(path, name.constData(), "y", 1, 0) == 0 ? 0 : errno;
}

int OverlayXattrs::writeRedirect(const char *path, XattrNamespace ns, const QByteArray &value)
{
    const QByteArray name = prefix(ns).append("redirect");
    return ::lsetxattr(path, name.constData(), value.constData(), static_cast<size_t>(value.size()), 0) == 0 ? 0
                                                                                                             : errno;
}

template<typename ListFn, typename GetFn>
OverlayXattrs OverlayXattrs::read(XattrNamespace ns, ListFn list, GetFn get)
{
    OverlayXattrs result;
    // One listxattr answers "is there anything at all" for the common case of no xattrs.
    char stackBuf[512];
    char *buf = stackBuf;
    QByteArray heapBuf;
    ssize_t len = list(buf, sizeof stackBuf);
    if (len < 0 && errno == ERANGE) {
        const ssize_t needed = list(nullptr, 0);
        if (needed > 0) {
            heapBuf.resize(needed);
            buf = heapBuf.data();
            len = list(buf, static_cast<size_t>(needed));
        }
    }
    if (len < 0) {
        if (errno != ENOTSUP && errno != ENODATA)
            result.m_readError = errno;
        return result;
    }
    const QByteArray pfx = prefix(ns);
    const std::string_view pfxView(pfx.constData(), static_cast<size_t>(pfx.size()));
    for (ssize_t pos = 0; pos < len;) {
        const std::string_view name(buf + pos);
        pos += static_cast<ssize_t>(name.size()) + 1;
        if (name.size() <= pfxView.size() || name.substr(0, pfxView.size()) != pfxView)
            continue;
        const std::string_view key = name.substr(pfxView.size());
        const std::string nameZ(name);
        if (key == "opaque") {
            char value[8] = {};
            const ssize_t n = get(nameZ.c_str(), value, sizeof value);
            if (n == 1 && value[0] == 'y')
                result.m_flags |= OpaqueY;
            else if (n == 1 && value[0] == 'x')
                result.m_flags |= OpaqueX;
        } else if (key == "redirect") {
            const ssize_t n = get(nameZ.c_str(), nullptr, 0);
            if (n > 0) {
                QByteArray value(n, '\0');
                const ssize_t m = get(nameZ.c_str(), value.data(), static_cast<size_t>(n));
                if (m > 0) {
                    value.truncate(m);
                    result.m_redirect = value;
                    result.m_flags |= Redirect;
                }
            }
        } else if (key == "metacopy") {
            result.m_flags |= Metacopy;
        } else if (key == "whiteout") {
            result.m_flags |= XWhiteout;
        } else if (key == "origin") {
            result.m_flags |= Origin;
        } else if (key == "impure") {
            result.m_flags |= Impure;
        }
    }
    return result;
}

OverlayXattrs OverlayXattrs::readFd(int fd, XattrNamespace ns)
{
    return read(
        ns,
        [fd](char *b, size_t n) { return ::flistxattr(fd, b, n); },
        [fd](const char *name, char *b, size_t n) { return ::fgetxattr(fd, name, b, n); });
}

OverlayXattrs OverlayXattrs::readPath(const char *path, XattrNamespace ns)
{
    return read(
        ns,
        [path](char *b, size_t n) { return ::llistxattr(path, b, n); },
        [path](const char *name, char *b, size_t n) { return ::lgetxattr(path, name, b, n); });
}

OverlayXattrs OverlayXattrs::readAt(int dirFd, const char *name, XattrNamespace ns)
{
    // No *xattrat() syscalls before Linux 6.13: go through the directory's /proc fd link,
    // which resolves relative to the open directory without rebuilding the full path.
    char path[64 + 256];
    std::snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dirFd, name);
    return readPath(path, ns);
}

} // namespace strata
