// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"
#include "core/image/searchhit.h"
#include "core/image/storedir.h"
#include "core/image/storeproblem.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace strata
{

class ImageStore;
class ScanControl;

/// Searches the files of every layer of a store (ImageStore::searchDirs), as `ls -1R | grep`
/// and `grep -r` on /var/lib/docker/overlay2 would, but knowing which image or container each
/// layer belongs to. Layers are read as LayerDirs (LayerRoot): directories on disk, or layer
/// tars of an archive read in place (one at a time, nothing extracted), whiteouts and opaque
/// directories as overlay2 has them. Read-only; never follows a symbolic link; streams: hits
/// are handed to the sink as they are found (a tar layer's once its tar is read), and file
/// contents are read in fixed-size chunks.
///
/// Progress and cancellation go through ScanControl: entries() counts files looked at,
/// directories() directories listed; cancel() stops the search at the next file or chunk.
class LayerSearch final
{
public:
    using Layer = StoreDir;
    /// Returns false to stop the search (the search then reports success).
    using Sink = std::function<bool(const SearchHit &)>;

    explicit LayerSearch(const ImageStore &store);

    /// The directories searched, in the store's order (see ImageStore::searchDirs).
    [[nodiscard]] const QVector<Layer> &layers() const { return m_layers; }
    /// Limits the search to these directories, by cache ID (all when empty).
    void setOnly(const QStringList &cacheIds) { m_only = cacheIds; }

    /// Paths matching a shell pattern (fnmatch): against the name when the pattern has no
    /// '/', against the whole path ("/app/*.txt") when it has one. Whiteouts match by the
    /// name they delete.
    [[nodiscard]] Status find(const QString &glob, const Sink &sink, ScanControl *control = nullptr);
    /// Regular files whose contents hold `text` (bytes, case-sensitive).
    [[nodiscard]] Status grep(const QByteArray &text, const Sink &sink, ScanControl *control = nullptr);

    /// What could not be read during the last search.
    [[nodiscard]] const StoreProblems &problems() const { return m_problems; }

private:
    enum class Mode { Find, Grep };
    [[nodiscard]] Status run(Mode mode, const Sink &sink, ScanControl *control);

    QVector<Layer> m_layers;
    XattrNamespace m_xattrs = XattrNamespace::Trusted;
    QStringList m_only;
    QByteArray m_glob;
    bool m_globHasSlash = false;
    QByteArray m_text;
    StoreProblems m_problems;
};

} // namespace strata
