// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>

#include <optional>
#include <string_view>

namespace strata
{

/// Which private xattr namespace an overlay uses: trusted.overlay.* (default) or
/// user.overlay.* (mount option userxattr).
enum class XattrNamespace : unsigned char { Trusted, User };

/// The overlay private xattrs found on one real file or directory, for one namespace.
/// Escaped names (overlay.overlay.*) belong to a nested overlay and are not read here.
class OverlayXattrs final
{
public:
    enum Flag : unsigned {
        None = 0,
        OpaqueY = 1u << 0, ///< overlay.opaque="y": hides everything below
        OpaqueX = 1u << 1, ///< overlay.opaque="x": lower dir that holds xattr whiteouts
        Redirect = 1u << 2,
        Metacopy = 1u << 3,
        XWhiteout = 1u << 4, ///< overlay.whiteout on a zero-size regular file
        Origin = 1u << 5,
        Impure = 1u << 6,
    };

    [[nodiscard]] unsigned flags() const { return m_flags; }
    [[nodiscard]] bool has(Flag f) const { return (m_flags & f) != 0; }
    [[nodiscard]] const QByteArray &redirect() const { return m_redirect; }
    [[nodiscard]] bool isEmpty() const { return m_flags == None; }
    /// errno of a failed read (e.g. EACCES), 0 when the read worked or there was nothing.
    [[nodiscard]] int readError() const { return m_readError; }

    /// Reads from an open file descriptor (directories).
    [[nodiscard]] static OverlayXattrs readFd(int fd, XattrNamespace ns);
    /// Reads from a path without following a final symlink.
    [[nodiscard]] static OverlayXattrs readPath(const char *path, XattrNamespace ns);
    /// Reads the entry `name` inside the open directory `dirFd`.
    [[nodiscard]] static OverlayXattrs readAt(int dirFd, const char *name, XattrNamespace ns);

    /// What an opaque directory's xattrs say (a layer tar's .wh..wh..opq).
    [[nodiscard]] static OverlayXattrs opaqueDir()
    {
        OverlayXattrs x;
        x.m_flags = OpaqueY;
        return x;
    }

    [[nodiscard]] static QByteArray prefix(XattrNamespace ns);
    /// Whether `name`, as stored on a layer, is a private xattr of an overlay using `ns`: its
    /// prefix, but not escaped (ovl_is_private_xattr()). Copy-up leaves these out, listing
    /// hides them.
    [[nodiscard]] static bool isPrivateName(std::string_view name, XattrNamespace ns);
    /// The name an xattr set or read through the merged view has on the layer: the overlay's own
    /// prefix is escaped ("trusted.overlay.opaque" is stored as "trusted.overlay.overlay.opaque",
    /// for a nested overlay), anything else is stored as it is (ovl_xattr_escape_name()).
    [[nodiscard]] static QByteArray escapedName(const QByteArray &name, XattrNamespace ns);
    /// The name the merged view lists for `stored`: none for a private xattr, the unescaped
    /// name for an escaped one, else `stored` itself (ovl_listxattr()).
    [[nodiscard]] static std::optional<QByteArray> listedName(const QByteArray &stored, XattrNamespace ns);

    /// Marks the directory `path` opaque (overlay.opaque="y"); 0 or the errno of lsetxattr.
    [[nodiscard]] static int writeOpaque(const char *path, XattrNamespace ns);
    /// Sets overlay.redirect on the directory `path`; 0 or the errno of lsetxattr.
    [[nodiscard]] static int writeRedirect(const char *path, XattrNamespace ns, const QByteArray &value);

private:
    template<typename ListFn, typename GetFn>
    static OverlayXattrs read(XattrNamespace ns, ListFn list, GetFn get);

    unsigned m_flags = None;
    int m_readError = 0;
    QByteArray m_redirect;
};

} // namespace strata
