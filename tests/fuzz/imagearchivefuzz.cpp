// SPDX-License-Identifier: GPL-2.0-or-later
// An image archive straight from bytes (docker save, OCI layout tar, compressed or not): its
// index, manifests and configs read, each image's stack resolved and merged from its layer
// tars, never a crash, and nothing read from outside the archive.
#include "tests/fuzz/fuzztargets.h"

#include "core/image/archive/archivestore.h"
#include "core/merge/mergedtree.h"

#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

namespace strata::fuzz
{

void imageArchive(const std::uint8_t *data, std::size_t size)
{
    quietQt();
    static QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("image.tar"));
    {
        QFile f(path);
        require(f.open(QIODevice::WriteOnly | QIODevice::Truncate), "the input can be written");
        require(f.write(reinterpret_cast<const char *>(data), static_cast<qint64>(size)) == qint64(size),
            "the input is written whole");
    }
    auto store = ArchiveStore::open(path);
    if (!store) {
        require(!store.error().message.isEmpty(), "a refused archive says why");
        return;
    }
    const qsizetype images = (*store)->imageCount();
    for (qsizetype i = 0; i < std::min<qsizetype>(images, 4); ++i) {
        auto layers = (*store)->imageMergeLayers(i);
        if (!layers) {
            require(!layers.error().message.isEmpty(), "an image that cannot be shown says why");
            continue;
        }
        auto tree = MergedTree::build(*layers);
        require(tree.ok() || !tree.error().message.isEmpty(), "a refused merge says why");
    }
}

} // namespace strata::fuzz
