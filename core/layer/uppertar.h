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
/// out, files with several links in the upper become hard link members. Names are sorted
/// bytes. A redirected directory or a metacopy file (from mounts with redirect_dir or
/// metacopy on) would need the lower layers: refused.
class UpperTar final
{
public:
    struct Summary {
        qint64 entries = 0;
        qint64 whiteouts = 0;
        qint64 opaque = 0;
        QStringList warnings;
    };
    [[nodiscard]] static Result<Summary> write(const QString &upper, XattrNamespace ns, TarWriter &out);
};

} // namespace strata
