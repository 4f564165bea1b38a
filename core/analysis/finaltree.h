// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QStringList>

#include <cstdint>
#include <map>

namespace strata
{

class ImageStore;
class ScanControl;
struct TarEntry;

/// An image's root filesystem as its layers leave it, read by streaming the layers bottom
/// first (LayerStream): per path the entry that survives and the layer that provides it.
/// Whiteouts and opaque directories of a layer act on the layers below it, wherever they sit
/// in the layer's tar, as the image spec and overlay do.
class FinalTree final
{
public:
    struct Entry {
        EntryType type = EntryType::Unknown;
        std::uint32_t mode = 0;
        std::uint32_t uid = 0;
        std::uint32_t gid = 0;
        std::int64_t size = 0; ///< a hard link's is its target's
        dev_t rdev = 0;
        QByteArray linkTarget; ///< a symlink's
        int layer = -1; ///< the providing layer, 0 at the bottom
        /// Where the bytes are in that layer: the member's own name, or for a hard link the
        /// member it links to ("a/b", as normalised).
        QByteArray member;
        /// A parent directory no member of any layer names (tar may omit them).
        bool implicit = false;
    };
    using Entries = std::map<QByteArray, Entry>; ///< "a/b" (no leading slash) → entry

    [[nodiscard]] static Result<FinalTree> read(const ImageStore &store, qsizetype image, ScanControl *control);

    [[nodiscard]] const Entries &entries() const { return m_entries; }
    [[nodiscard]] const QStringList &warnings() const { return m_warnings; }

    /// A member's name as a path: no "./" or "/" in front, none behind; empty for the root.
    [[nodiscard]] static QByteArray normalise(const QByteArray &name);

private:
    void applyLayer(int layer, const std::vector<TarEntry> &members, const QString &diffDir);
    void removeBelow(const QByteArray &path, bool self);
    void addParents(const QByteArray &path, int layer);

    Entries m_entries;
    QStringList m_warnings;
};

} // namespace strata
