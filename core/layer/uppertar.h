// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

namespace strata
{

class TarWriter;

/// An overlay's upper directory written as an image layer (image-spec layer.md), as Docker's
/// overlay2 diff does: a 0/0 character device (or an xattr whiteout) becomes `.wh.NAME`, an
/// opaque directory gets `.wh..wh..opq` after its own entry, overlay's private xattrs are left
/// out, files with several links in the layers become hard link members. Names are sorted
/// bytes. A redirected directory (a directory renamed under redirect_dir=on: the old name is
/// a whiteout, the new one points at it with overlay.redirect) has no form in an image: it is
/// written as the spec says, the whiteout of the old name plus a full, opaque add of the new
/// one, its content taken from the merged view of the upper and the lowers (MergedTree, which
/// follows the redirects). A metadata-only copy (metacopy=on) is refused.
class UpperTar final
{
public:
    struct Summary {
        qint64 entries = 0;
        qint64 whiteouts = 0;
        qint64 opaque = 0;
        qint64 redirects = 0; ///< renamed directories written in full
        QStringList warnings;
    };
    /// `lowers` top first, as lowerdir= lists them: read only for redirected directories.
    [[nodiscard]] static Result<Summary> write(
        const QString &upper, const QStringList &lowers, XattrNamespace ns, TarWriter &out);
};

} // namespace strata
