// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"
#include "core/fs/layerdir.h"
#include "core/fs/overlayxattrs.h"
#include "core/util/result.h"

#include <QByteArray>

#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace strata
{

/// One open directory, read in bulk with getdents64: names and d_type only. Everything else
/// (stat, link target, xattrs) is asked per entry, relative to the open directory, so a
/// caller pays only for the entries it needs. Never follows a symlink below the root.
/// The merge engine reads it as a LayerDir (a real directory of a layer).
class DirScanner final : public LayerDir
{
public:
    using Entry = LayerDir::Entry; ///< names point into the scanner's buffer

    DirScanner() = default;
    ~DirScanner() override;
    DirScanner(DirScanner &&other) noexcept;
    DirScanner &operator=(DirScanner &&other) noexcept;
    DirScanner(const DirScanner &) = delete;
    DirScanner &operator=(const DirScanner &) = delete;

    /// Opens a layer root; a symlink as the root itself is followed (Docker's l/ links).
    [[nodiscard]] static Result<DirScanner> openRoot(const QByteArray &path);
    /// Opens the subdirectory `name` of an open directory without following symlinks.
    [[nodiscard]] static Result<DirScanner> openChild(int parentFd, std::string_view name);

    [[nodiscard]] int fd() const { return m_fd; }
    [[nodiscard]] bool isOpen() const { return m_fd >= 0; }

    /// Reads every entry ("." and ".." skipped). Returns false with errno kept in readError().
    bool readAll() override;
    [[nodiscard]] const std::vector<Entry> &entries() const override { return m_entries; }
    [[nodiscard]] int readError() const override { return m_readError; }
    /// Frees the listing (entries() becomes empty) but keeps the directory open.
    void releaseEntries() override;

    [[nodiscard]] bool statSelf(struct stat *st) const override;
    [[nodiscard]] bool statEntry(std::string_view name, struct stat *st) const override;
    [[nodiscard]] QByteArray readLink(std::string_view name) const override;
    [[nodiscard]] OverlayXattrs entryXattrs(std::string_view name, XattrNamespace ns) const override;
    [[nodiscard]] OverlayXattrs dirXattrs(XattrNamespace ns) const override;
    [[nodiscard]] Result<std::shared_ptr<LayerDir>> openDir(std::string_view name) const override;

    /// A classic whiteout: a character device with device number 0/0.
    [[nodiscard]] static bool isWhiteout(const struct stat &st);

private:
    explicit DirScanner(int fd);
    void close();

    int m_fd = -1;
    int m_readError = 0;
    std::vector<char> m_buffer;
    std::vector<Entry> m_entries;
};

} // namespace strata
