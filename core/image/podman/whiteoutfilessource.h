// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/layer/layersource.h"

#include <QString>

namespace strata
{

/// A layer directory read through WhiteoutFilesDir: its AUFS-form whiteouts (`.wh.NAME`,
/// `.wh..wh..opq`) seen as overlayfs keeps them. Nothing is loaded into memory: the files
/// stay where they are, so grep reads them from directory().
class WhiteoutFilesSource final : public LayerSource
{
public:
    explicit WhiteoutFilesSource(QString dir) : m_dir(std::move(dir)) { }

    [[nodiscard]] Result<Loaded> load(ScanControl *control) const override;
    /// The same as load(): the files are read from directory(), not handed over.
    [[nodiscard]] Result<Loaded> loadWithData(ScanControl *control, const FileVisitor &files) const override;
    [[nodiscard]] QString directory() const override { return m_dir; }

private:
    QString m_dir;
};

} // namespace strata
