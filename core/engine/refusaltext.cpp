// SPDX-License-Identifier: GPL-2.0-or-later
#include "refusaltext.h"

#include <cerrno>
#include <cstring>

namespace strata
{

namespace
{
bool isOneOf(const QString &verb, std::initializer_list<const char *> verbs)
{
    for (const char *v : verbs) {
        if (verb == QLatin1String(v))
            return true;
    }
    return false;
}

// EXDEV: only a rename of a directory with lower content is refused so (ovl_rename()).
void renameAcrossLayers(RefusalText &t, const OverlayOptions &options)
{
    t.why = QStringLiteral("The directory comes (partly) from a lower layer, which never changes; without a redirect "
                           "the kernel cannot find that part under the new name, so it refuses and mv(1) falls back "
                           "to copying everything.");
    if (options.redirectDir == QLatin1String("on"))
        return;
    t.remedy = options.userxattr
        ? QStringLiteral("nothing in a user namespace: with userxattr the kernel accepts only redirect_dir=nofollow; "
                         "mounted as root with redirect_dir=on the rename leaves an overlay.redirect xattr")
        : QStringLiteral("redirect_dir=on: the renamed directory gets an overlay.redirect xattr naming its old path");
    if (!options.userxattr)
        t.retryWith = RefusalText::Remedy {QStringLiteral("redirect_dir"), QStringLiteral("on")};
}

bool on(const QString &value)
{
    return value == QLatin1String("on");
}

// EINVAL at mount time: options the kernel takes only together (ovl_parse_opt()'s checks), or
// a stack too deep.
void refusedMount(RefusalText &t, const OverlayOptions &options)
{
    if (on(options.metacopy) && !options.redirectDir.isEmpty() && !on(options.redirectDir) && !options.userxattr) {
        t.why = QStringLiteral("metacopy=on needs redirect_dir=on: a metadata-only copy-up records where the data "
                               "lives in an overlay.metacopy xattr that redirects follow.");
        t.remedy = QStringLiteral("redirect_dir=on, or metacopy=off");
        t.retryWith = RefusalText::Remedy {QStringLiteral("redirect_dir"), QStringLiteral("on")};
        return;
    }
    if (on(options.metacopy) && (options.userxattr || on(options.nfsExport))) {
        t.why = options.userxattr
            ? QStringLiteral("With userxattr (a user namespace) the kernel allows neither metacopy nor redirects.")
            : QStringLiteral("nfs_export=on needs file handles that a metadata-only copy-up cannot give.");
        t.remedy = QStringLiteral("metacopy=off");
        t.retryWith = RefusalText::Remedy {QStringLiteral("metacopy"), QStringLiteral("off")};
        return;
    }
    t.why = QStringLiteral("Overlays nest only two deep: an overlay's merged view may be the lower layer of "
                           "one more overlay, not of a third level (FILESYSTEM_MAX_STACK_DEPTH is 2), and "
                           "its layers may not overlap.");
    t.remedy = QStringLiteral("fewer levels: give the top overlay the layers of the ones below as lowerdir");
}

void fill(RefusalText &t, int error, const QString &verb, const OverlayOptions &options)
{
    switch (error) {
    case EXDEV:
        if (isOneOf(verb, {"mv"}))
            renameAcrossLayers(t, options);
        return;
    case EBUSY:
        t.why = QStringLiteral("Another overlay that is mounted already uses this upper or work directory (the "
                               "kernel's in-use lock); with index=on the kernel refuses a second user, because its "
                               "index of copied-up files would be shared.");
        t.remedy = options.index == QLatin1String("on")
            ? QStringLiteral("a work (and upper) directory of its own for this overlay; or index=off, with which the "
                             "kernel only warns (changing files through both overlays is then undefined behaviour)")
            : QStringLiteral("a work (and upper) directory of its own for every overlay");
        return;
    case ELOOP:
    case EINVAL:
        if (isOneOf(verb, {"mount"}))
            refusedMount(t, options);
        return;
    case EROFS:
        t.why = QStringLiteral("The overlay is read-only: it has no upper layer, or the kernel mounted it read-only.");
        t.remedy = QStringLiteral("an upper and a work directory for the overlay");
        return;
    case ENOTEMPTY:
        t.why = QStringLiteral("The directory is not empty in the merged view (files of a lower layer count too).");
        t.remedy = QStringLiteral("rm -r, which whites out what the lower layers have");
        return;
    case EPERM:
        t.why = isOneOf(verb, {"ln"}) ? QStringLiteral("Hard links to directories are not allowed.")
                                      : QStringLiteral("This needs a privilege the mount does not have.");
        return;
    case EIO:
        if (isOneOf(verb, {"rmdir", "rm-r", "mkdir"})) {
            t.why = QStringLiteral("The kernel could not write the overlay xattr it needs on the upper layer.");
            t.remedy = QStringLiteral("userxattr, when mounted in a user namespace");
        }
        return;
    case ENOTSUP:
        t.why = QStringLiteral("The engine or the upper layer's filesystem does not support this.");
        if (options.index == QLatin1String("on") || options.nfsExport == QLatin1String("on"))
            t.remedy = QStringLiteral("the kernel backend (the engine supports index=off only)");
        return;
    default:
        return; // the errno's own words say it all
    }
}
} // namespace

RefusalText RefusalText::explain(int error, const QString &verb, const OverlayOptions &options)
{
    RefusalText t;
    const char *name = ::strerrorname_np(error);
    t.errorName = name ? QString::fromLatin1(name) : QString::number(error);
    t.words = QString::fromLocal8Bit(std::strerror(error));
    fill(t, error, verb, options);
    return t;
}

QString RefusalText::text(const QString &verb) const
{
    QString s = QStringLiteral("%1 refused: %2 (%3).").arg(verb, errorName, words);
    if (!why.isEmpty())
        s += QLatin1Char(' ') + why;
    if (!remedy.isEmpty())
        s += QStringLiteral(" Would work with: %1.").arg(remedy);
    return s;
}

} // namespace strata
