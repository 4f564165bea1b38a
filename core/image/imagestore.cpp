// SPDX-License-Identifier: GPL-2.0-or-later
#include "imagestore.h"

#include <cerrno>

namespace strata
{

QStringList ImageStore::imagesUsing(const QString &cacheId) const
{
    QStringList names;
    for (const QString &id : imageIdsUsing(cacheId)) {
        const StoreImage *image = imageById(id);
        for (const QString &name : image ? image->names() : QStringList {StoreImage::shortenId(id)}) {
            if (!names.contains(name))
                names << name;
        }
    }
    return names;
}

int ImageStore::sharedLayerCount(qsizetype image) const
{
    int shared = 0;
    for (qsizetype k = 0; k < imageLayerCount(image); ++k) {
        const QString &cacheId = imageLayerAt(image, k).cacheId;
        shared += !cacheId.isEmpty() && imageIdsUsing(cacheId).size() > 1 ? 1 : 0;
    }
    return shared;
}

int ImageStore::intermediateCount() const
{
    int n = 0;
    for (qsizetype i = 0; i < imageCount(); ++i)
        n += imageAt(i).intermediate ? 1 : 0;
    return n;
}

qsizetype ImageStore::indexOf(const StoreImage &image) const
{
    for (qsizetype i = 0; i < imageCount(); ++i) {
        if (&imageAt(i) == &image)
            return i;
    }
    return -1;
}

qsizetype ImageStore::indexOf(const StoreContainer &container) const
{
    for (qsizetype i = 0; i < containerCount(); ++i) {
        if (&containerAt(i) == &container)
            return i;
    }
    return -1;
}

Result<Stack> ImageStore::nonEmpty(Stack stack, const StoreImage &image)
{
    if (stack.isEmpty())
        return Error {ENOENT, QStringLiteral("image %1 has no layers").arg(image.displayName())};
    return stack;
}

MergeLayers ImageStore::toMergeLayers(const Stack &stack)
{
    MergeLayers layers;
    layers.reserve(stack.size());
    for (const StackLayer &l : stack)
        layers.push_back(l.mergeLayer());
    return layers;
}

Result<MergeLayers> ImageStore::imageMergeLayers(qsizetype image) const
{
    auto stack = imageStack(image);
    if (!stack)
        return stack.error();
    return toMergeLayers(*stack);
}

Result<MergeLayers> ImageStore::containerMergeLayers(qsizetype container, bool withUpper) const
{
    auto stack = containerStack(container, withUpper);
    if (!stack)
        return stack.error();
    return toMergeLayers(*stack);
}

Result<MergeLayers> ImageStore::layerMergeLayers(qsizetype image, qsizetype layer) const
{
    if (image < 0 || image >= imageCount() || layer < 0 || layer >= imageLayerCount(image))
        return Error {EINVAL, QStringLiteral("no such layer")};
    const StoreLayer &l = imageLayerAt(image, layer);
    if (l.diffDir.isEmpty() && !l.source)
        return Error {ENOENT,
            QStringLiteral("image %1: layer %2 has no directory").arg(imageAt(image).displayName()).arg(l.index)};
    StackLayer s;
    s.name = l.name;
    // A layer read from a source (a tar in an archive) is named <dir>:<cacheId>.
    s.diffDir = l.diffDir.isEmpty() ? l.dir + QLatin1Char(':') + l.cacheId : l.diffDir;
    s.source = l.source;
    s.imageLayer = l.index;
    return toMergeLayers({s});
}

} // namespace strata
