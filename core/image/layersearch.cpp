// SPDX-License-Identifier: GPL-2.0-or-later
#include "layersearch.h"

#include "core/fs/dirscanner.h"
#include "core/image/imagestore.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{

constexpr std::size_t ChunkSize = 256 * 1024;
constexpr int MaxDepth = 2048;
constexpr qsizetype MaxLineBytes = 200;

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

struct Walk {
    LayerSearch::Sink sink;
    ScanControl *control = nullptr;
    const LayerSearch::Layer *layer = nullptr;
    QByteArray diffRoot;
    StoreProblems *problems = nullptr;
    XattrNamespace xattrs = XattrNamespace::Trusted;
    bool grep = false;
    QByteArray glob;
    bool globHasSlash = false;
    QByteArray text;
    std::vector<char> buffer;
    bool stopped = false; // the sink asked to stop
    bool cancelled = false;

    bool cancelledNow()
    {
        if (!cancelled && control && control->isCancelled())
            cancelled = true;
        return cancelled;
    }

    void problem(const QByteArray &path, const QString &message)
    {
        problems->push_back(StoreProblem {decodeFileName(QByteArray(diffRoot + path)), message});
    }

    SearchHit hit(const QByteArray &path, EntryType type) const
    {
        SearchHit h;
        h.path = path;
        h.type = type;
        h.cacheId = layer->cacheId;
        h.dir = layer->dir;
        h.diffDir = layer->diffDir;
        h.layer = layer->name;
        h.role = searchRoleName(layer->kind);
        h.images = layer->images;
        h.container = layer->container;
        return h;
    }

    void emit(const SearchHit &h)
    {
        if (!sink(h))
            stopped = true;
    }

    // One directory of the layer; `path` is "" at the layer's root.
    void dir(DirScanner &d, const QByteArray &path, int depth)
    {
        if (stopped || cancelledNow())
            return;
        if (depth > MaxDepth) {
            problem(path, QStringLiteral("nested deeper than %1 levels: not searched").arg(MaxDepth));
            return;
        }
        if (!d.readAll()) {
            problem(path, QStringLiteral("cannot list: %1").arg(errnoText(d.readError())));
            return;
        }
        if (control)
            control->addDirectories(1);
        std::vector<DirScanner::Entry> entries = d.entries();
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
        for (const DirScanner::Entry &e : entries) {
            if (stopped || cancelledNow())
                return;
            QByteArray child = path;
            child += '/';
            child.append(e.name.data(), static_cast<qsizetype>(e.name.size()));
            EntryType type = entryTypeFromDirent(e.dtype);
            struct stat st {
            };
            bool haveStat = false;
            if (type == EntryType::CharDevice || type == EntryType::Unknown) {
                haveStat = d.statEntry(e.name, &st);
                if (haveStat)
                    type = DirScanner::isWhiteout(st) ? EntryType::Whiteout : entryTypeFromMode(st.st_mode);
            }
            if (!grep) {
                if (control)
                    control->addEntries(1);
                const QByteArray subject
                    = globHasSlash ? child : QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size()));
                if (::fnmatch(glob.constData(), subject.constData(), 0) == 0) {
                    SearchHit h = hit(child, type);
                    if (!haveStat)
                        haveStat = d.statEntry(e.name, &st);
                    if (haveStat && type != EntryType::Directory)
                        h.size = st.st_size;
                    if (type == EntryType::Directory)
                        h.opaque = d.entryXattrs(e.name, xattrs).has(OverlayXattrs::OpaqueY);
                    emit(h);
                }
            } else if (type == EntryType::File) {
                if (control)
                    control->addEntries(1);
                grepFile(d.fd(), e.name, child);
            }
            if (type == EntryType::Directory) {
                auto sub = DirScanner::openChild(d.fd(), e.name);
                if (!sub) {
                    problem(child, sub.error().message);
                    continue;
                }
                dir(*sub, child, depth + 1);
            }
        }
    }

    void grepFile(int dirFd, std::string_view name, const QByteArray &path)
    {
        const std::string n(name);
        const int fd = ::openat(dirFd, n.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            problem(path, QStringLiteral("cannot open: %1").arg(errnoText(errno)));
            return;
        }
        struct stat st {
        };
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            return;
        }
        const std::size_t keep = static_cast<std::size_t>(text.size()) - 1;
        if (buffer.size() < ChunkSize + keep)
            buffer.resize(ChunkSize + keep);
        char *buf = buffer.data();
        std::size_t have = 0;
        std::size_t counted = 0; // bytes of buf whose newlines are in `line`
        qint64 base = 0; // file offset of buf[0]
        qint64 line = 1;
        bool nul = false;
        auto count = [&](std::size_t end) {
            for (std::size_t i = counted; i < end; ++i) {
                line += buf[i] == '\n';
                nul = nul || buf[i] == 0;
            }
            counted = end;
        };
        for (;;) {
            if (cancelledNow())
                break;
            const ssize_t got = ::read(fd, buf + have, ChunkSize);
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                problem(path, QStringLiteral("cannot read: %1").arg(errnoText(errno)));
                break;
            }
            if (got == 0)
                break;
            have += static_cast<std::size_t>(got);
            const void *found = ::memmem(buf, have, text.constData(), static_cast<std::size_t>(text.size()));
            if (found) {
                const auto at = static_cast<std::size_t>(static_cast<const char *>(found) - buf);
                count(at);
                std::size_t begin = at;
                while (begin > 0 && buf[begin - 1] != '\n' && at - begin < MaxLineBytes)
                    --begin;
                std::size_t end = at;
                while (end < have && buf[end] != '\n' && end - begin < MaxLineBytes)
                    ++end;
                SearchHit h = hit(path, EntryType::File);
                h.size = st.st_size;
                h.offset = base + static_cast<qint64>(at);
                h.line = line;
                h.binary = nul;
                h.text = QByteArray(buf + begin, static_cast<qsizetype>(end - begin));
                emit(h);
                break;
            }
            // Keep the last bytes: a match may straddle two chunks.
            const std::size_t k = std::min(have, keep);
            count(have - k);
            std::memmove(buf, buf + have - k, k);
            base += static_cast<qint64>(have - k);
            have = k;
            counted = 0;
        }
        ::close(fd);
    }
};

} // namespace

LayerSearch::LayerSearch(const ImageStore &store) : m_layers(store.searchDirs()), m_xattrs(store.mergeOptions().xattrs)
{
}

Status LayerSearch::find(const QString &glob, const Sink &sink, ScanControl *control)
{
    if (glob.isEmpty())
        return Error {EINVAL, QStringLiteral("empty pattern")};
    m_glob = encodeFileName(glob);
    m_globHasSlash = glob.contains(QLatin1Char('/'));
    return run(Mode::Find, sink, control);
}

Status LayerSearch::grep(const QByteArray &text, const Sink &sink, ScanControl *control)
{
    if (text.isEmpty())
        return Error {EINVAL, QStringLiteral("empty search text")};
    m_text = text;
    return run(Mode::Grep, sink, control);
}

Status LayerSearch::run(Mode mode, const Sink &sink, ScanControl *control)
{
    m_problems.clear();
    Walk w;
    w.sink = sink;
    w.control = control;
    w.problems = &m_problems;
    w.xattrs = m_xattrs;
    w.grep = mode == Mode::Grep;
    w.glob = m_glob;
    w.globHasSlash = m_globHasSlash;
    w.text = m_text;
    for (const Layer &layer : std::as_const(m_layers)) {
        if (!m_only.isEmpty() && !m_only.contains(layer.cacheId))
            continue;
        w.layer = &layer;
        w.diffRoot = encodeFileName(layer.diffDir);
        auto root = DirScanner::openRoot(w.diffRoot);
        if (!root) {
            m_problems.push_back(StoreProblem {QString(), root.error().message});
            continue;
        }
        w.dir(*root, QByteArray(), 0);
        if (w.cancelled)
            return Error {ECANCELED, QStringLiteral("cancelled")};
        if (w.stopped)
            break;
    }
    return {};
}

} // namespace strata
