// SPDX-License-Identifier: GPL-2.0-or-later
#include "whiteoutfilessource.h"

#include "core/fs/dirscanner.h"
#include "core/image/podman/whiteoutfilesdir.h"
#include "core/util/filename.h"

namespace strata
{

Result<LayerSource::Loaded> WhiteoutFilesSource::load(ScanControl *) const
{
    auto root = DirScanner::openRoot(encodeFileName(m_dir));
    if (!root)
        return Error {root.error().code, QStringLiteral("%1: %2").arg(m_dir, root.error().message)};
    Loaded loaded;
    loaded.root = std::make_shared<WhiteoutFilesDir>(std::move(root.value()));
    return loaded;
}

Result<LayerSource::Loaded> WhiteoutFilesSource::loadWithData(ScanControl *control, const FileVisitor &) const
{
    return load(control);
}

} // namespace strata
