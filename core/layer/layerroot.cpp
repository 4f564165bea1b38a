// SPDX-License-Identifier: GPL-2.0-or-later
#include "layerroot.h"

#include "core/fs/dirscanner.h"
#include "core/util/filename.h"

namespace strata
{

Result<LayerSource::Loaded> LayerRoot::open(const QString &dir,
    const std::shared_ptr<const LayerSource> &source,
    ScanControl *control,
    const LayerSource::FileVisitor &files)
{
    if (source)
        return files ? source->loadWithData(control, files) : source->load(control);
    auto opened = DirScanner::openRoot(encodeFileName(dir));
    if (!opened)
        return opened.error();
    return LayerSource::Loaded {std::make_shared<DirScanner>(std::move(opened.value())), {}};
}

} // namespace strata
