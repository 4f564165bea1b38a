// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/beneathdir.h"
#include "core/fs/overlayxattrs.h"
#include "core/layer/tarreader.h"
#include "core/util/status.h"

#include <QStringList>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace strata
{

class ByteStream;
class ScanControl;

/// Unpacks one layer tar, streamed, into a directory in overlay's on-disk form, as Docker's
/// overlay2 does: `.wh.NAME` becomes a 0/0 character device (or, where mknod is refused, an
/// xattr whiteout), `<dir>/.wh..wh..opq` makes <dir> opaque (overlay.opaque="y") wherever it
/// sits in the tar, other `.wh..wh.*` names are dropped. Hostile members are refused and named,
/// never written: absolute names, "..", names through a symlink or a file of the layer, hard
/// links to what the layer does not hold, device nodes without privilege, files bigger than
/// the disk can still take, overlay's own xattrs. Every create is relative to a directory fd
/// opened by BeneathDir, so nothing outside the directory is ever reached. Names stay bytes.
class LayerExtractor final
{
public:
    struct Options {
        XattrNamespace xattrs = XattrNamespace::Trusted;
        bool privileged = false; ///< root: ownership kept, device nodes made
        /// Bytes the disk can still take, shared by the layers extracted together; null: no limit.
        std::atomic<std::int64_t> *budget = nullptr;
        bool walkOnly = false; ///< tests: resolve as without openat2
    };
    struct Summary {
        TarReader::Info info;
        qint64 files = 0;
        qint64 directories = 0;
        qint64 symlinks = 0;
        qint64 hardlinks = 0;
        qint64 whiteouts = 0;
        qint64 opaque = 0;
        qint64 others = 0; ///< fifos, device nodes
        qint64 bytes = 0; ///< file data written
        QStringList refused; ///< members not written: "entry \"NAME\": why"
        QStringList warnings; ///< written, but not wholly (an owner, an xattr)
    };

    /// Writes into the directory `dirFd`, which it takes over.
    LayerExtractor(int dirFd, Options options);
    LayerExtractor(const LayerExtractor &) = delete;
    LayerExtractor &operator=(const LayerExtractor &) = delete;

    /// Reads `in` to its end. Fails when the stream cannot be read, on cancel, or when a write
    /// fails (a full disk); refused members are not failures (summary().refused).
    [[nodiscard]] Status extract(ByteStream &in, ScanControl *control = nullptr);
    [[nodiscard]] const Summary &summary() const { return m_summary; }

private:
    // A directory's mode, owner, time and xattrs, set once the layer is written (its files
    // would change its time, a read-only mode would stop them).
    struct PendingDir {
        std::string path;
        std::uint32_t mode;
        std::uint32_t uid;
        std::uint32_t gid;
        std::int64_t mtime;
        QVector<QPair<QByteArray, QByteArray>> xattrs;
    };

    bool member(const TarEntry &e, TarReader::Data &data);
    /// Parents of the member that are whiteouts of this layer become opaque directories.
    bool reviveWhiteouts(std::size_t depth);
    void marker(const TarEntry &e, int parent, std::string_view base);
    void whiteout(const TarEntry &e, int parent, const std::string &name);
    /// Makes room for `e` at `name`: false when it is to be left as it is.
    bool replace(const TarEntry &e, int parent, const std::string &name);
    bool writeFile(const TarEntry &e, int parent, const std::string &name, TarReader::Data &data);
    void makeLink(const TarEntry &e, int parent, const std::string &name);
    void makeOther(const TarEntry &e, int parent, const std::string &name);
    void setOpaque(int dirFd, const TarEntry &e);
    void setMetadata(int fd, const TarEntry &e);
    void setXattrs(int fd, const QVector<QPair<QByteArray, QByteArray>> &xattrs, const QByteArray &path);
    void pendDir(PendingDir dir);
    void finishDirs();
    void refuse(const QByteArray &path, const QString &why);
    void warn(const QByteArray &path, const QString &what);
    void fail(const QString &why);

    BeneathDir m_root;
    Options m_options;
    Summary m_summary;
    std::vector<PendingDir> m_dirs;
    std::unordered_map<std::string, std::size_t> m_dirIndex; // a directory met again: its newest header
    std::vector<std::string_view> m_parts;
    qint64 m_duplicates = 0;
    QByteArray m_firstDuplicate;
    QString m_failure;
};

} // namespace strata
