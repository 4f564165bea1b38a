// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"
#include "core/util/result.h"

#include <QByteArray>

#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace strata
{

/// One directory of one layer as the merge engine reads it: its names with a d_type, and per
/// name what stat, readlink and the overlay xattrs would say. DirScanner answers from a real
/// directory; TarLayer answers from a layer tar read into memory. MergedTreeBuilder sees only
/// this, so both kinds of layer merge by the same rules.
class LayerDir
{
public:
    struct Entry {
        std::string_view name; ///< valid while the directory lives and its listing is kept
        unsigned char dtype;
    };

    virtual ~LayerDir() = default;

    /// Reads every entry ("." and ".." skipped). Returns false with errno kept in readError().
    virtual bool readAll() = 0;
    [[nodiscard]] virtual const std::vector<Entry> &entries() const = 0;
    [[nodiscard]] virtual int readError() const = 0;
    /// Frees the listing (entries() becomes empty) but keeps the directory open.
    virtual void releaseEntries() = 0;

    /// The directory itself.
    [[nodiscard]] virtual bool statSelf(struct stat *st) const = 0;
    [[nodiscard]] virtual bool statEntry(std::string_view name, struct stat *st) const = 0;
    [[nodiscard]] virtual QByteArray readLink(std::string_view name) const = 0;
    [[nodiscard]] virtual OverlayXattrs entryXattrs(std::string_view name, XattrNamespace ns) const = 0;
    [[nodiscard]] virtual OverlayXattrs dirXattrs(XattrNamespace ns) const = 0;
    /// The subdirectory `name`, never through a symlink.
    [[nodiscard]] virtual Result<std::shared_ptr<LayerDir>> openDir(std::string_view name) const = 0;

protected:
    LayerDir() = default;
    LayerDir(const LayerDir &) = default;
    LayerDir(LayerDir &&) = default;
    LayerDir &operator=(const LayerDir &) = default;
    LayerDir &operator=(LayerDir &&) = default;
};

} // namespace strata
