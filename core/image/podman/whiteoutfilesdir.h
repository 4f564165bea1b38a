// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/dirscanner.h"
#include "core/fs/layerdir.h"

#include <string>
#include <vector>

namespace strata
{

/// A layer directory that keeps whiteouts in the AUFS form (`.wh.NAME` files, `.wh..wh..opq`
/// in an opaque directory: containers-storage with a mount program such as fuse-overlayfs),
/// read as overlayfs keeps them: NAME a 0/0 character device, the directory opaque. Other
/// `.wh..wh.` names (AUFS's own metadata) are left out, as the tar readers drop them, and so is
/// fuse-overlayfs's `.wh..opq`, which marks the directory opaque too. A name that is there for
/// real wins over a whiteout of the same name.
class WhiteoutFilesDir final : public LayerDir
{
public:
    explicit WhiteoutFilesDir(DirScanner dir) : m_dir(std::move(dir)) { }

    bool readAll() override;
    [[nodiscard]] const std::vector<Entry> &entries() const override { return m_entries; }
    [[nodiscard]] int readError() const override { return m_dir.readError(); }
    void releaseEntries() override;

    [[nodiscard]] bool statSelf(struct stat *st) const override { return m_dir.statSelf(st); }
    [[nodiscard]] bool statEntry(std::string_view name, struct stat *st) const override;
    [[nodiscard]] QByteArray readLink(std::string_view name) const override { return m_dir.readLink(name); }
    [[nodiscard]] OverlayXattrs entryXattrs(std::string_view name, XattrNamespace ns) const override;
    [[nodiscard]] OverlayXattrs dirXattrs(XattrNamespace ns) const override;
    [[nodiscard]] Result<std::shared_ptr<LayerDir>> openDir(std::string_view name) const override;

    static constexpr std::string_view WhiteoutPrefix = ".wh.";
    static constexpr std::string_view MetaPrefix = ".wh..wh.";
    static constexpr std::string_view OpaqueMarker = ".wh..wh..opq";
    /// fuse-overlayfs's own opaque marker (a 0/0 device where it can make one), kept beside
    /// OpaqueMarker.
    static constexpr std::string_view FuseOpaqueMarker = ".wh..opq";
    /// Whether a directory entry named `name` marks its directory opaque.
    [[nodiscard]] static bool isOpaqueMarker(std::string_view name)
    {
        return name == OpaqueMarker || name == FuseOpaqueMarker;
    }

private:
    // The marker `.wh.NAME` of a whiteout NAME, when there is one and no real NAME.
    [[nodiscard]] bool whiteoutMarker(std::string_view name, struct stat *st) const;

    DirScanner m_dir;
    std::vector<std::string> m_names; // the whiteouts' names, which the scanner's buffer lacks
    std::vector<Entry> m_entries;
};

} // namespace strata
