// SPDX-License-Identifier: GPL-2.0-or-later
// An image config, straight from bytes (the file behind imagedb/content and every archive's
// config blob): read into an image with its history paired to its layers, or an error.
#include "tests/fuzz/fuzztargets.h"

#include "core/image/chainid.h"
#include "core/image/createdby.h"
#include "core/image/imageconfig.h"
#include "core/image/metadatafile.h"
#include "core/image/storeimage.h"

namespace strata::fuzz
{

void dockerJson(const std::uint8_t *data, std::size_t size)
{
    const QString path = QStringLiteral("/fuzz/imagedb/content/sha256/config");
    auto config = MetadataFile::parseObject(bytes(data, size), path);
    if (!config) {
        require(config.error().message.startsWith(path), "a parse error names the file");
        return;
    }
    StoreImage image;
    StoreProblems problems;
    ImageConfig::parse(*config, path, image, problems);
    require(image.error.isEmpty() || !problems.isEmpty(), "an image's error is also a problem");
    ImageConfig::pairHistory(image);
    int next = 0;
    for (const HistoryEntry &e : std::as_const(image.history)) {
        (void)CreatedBy::clean(e.createdByRaw);
        if (!image.historyMatches) {
            require(e.layerIndex == -1, "unpaired history names no layer");
        } else if (e.emptyLayer) {
            require(e.layerIndex == -1, "an empty layer makes no layer");
        } else {
            require(e.layerIndex == next++, "paired history takes the layers in order");
        }
    }
    require(!image.historyMatches || next == image.diffIds.size(), "paired history takes every layer");
    const QStringList chain = ChainId::chain(image.diffIds);
    require(chain.size() == image.diffIds.size(), "one chain ID per layer");
    require(chain.isEmpty() || chain.first() == image.diffIds.first(), "the base layer's chain ID is its diff ID");
}

} // namespace strata::fuzz
