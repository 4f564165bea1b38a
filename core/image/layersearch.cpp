// SPDX-License-Identifier: GPL-2.0-or-later
#include "layersearch.h"

#include "core/fs/beneathdir.h"
#include "core/fs/dirscanner.h"
#include "core/fs/pathparts.h"
#include "core/image/imagestore.h"
#include "core/layer/layerroot.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

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

// The first match of a text in bytes fed block by block, and what grep tells of it.
class StreamGrep final
{
public:
    struct Match {
        qint64 line = 1;
        qint64 offset = -1;
        QByteArray text;
        bool binary = false;
    };

    explicit StreamGrep(const QByteArray &text) : m_text(text) { }

    // False once the text is found: the rest need not be read.
    bool feed(const char *bytes, std::size_t size)
    {
        if (m_match.offset >= 0)
            return false;
        m_buf.append(bytes, size);
        const void *found = ::memmem(m_buf.data(), m_buf.size(), m_text.constData(), std::size_t(m_text.size()));
        if (found) {
            const auto at = static_cast<std::size_t>(static_cast<const char *>(found) - m_buf.data());
            count(at);
            std::size_t begin = at;
            while (begin > 0 && m_buf[begin - 1] != '\n' && at - begin < MaxLineBytes)
                --begin;
            std::size_t end = at;
            while (end < m_buf.size() && m_buf[end] != '\n' && end - begin < MaxLineBytes)
                ++end;
            m_match.offset = m_base + static_cast<qint64>(at);
            m_match.text = QByteArray(m_buf.data() + begin, static_cast<qsizetype>(end - begin));
            return false;
        }
        // Keep the last bytes: a match may straddle two blocks.
        const std::size_t dropped = m_buf.size() - std::min(m_buf.size(), std::size_t(m_text.size()) - 1);
        count(dropped);
        m_buf.erase(0, dropped);
        m_base += static_cast<qint64>(dropped);
        m_counted = 0;
        return true;
    }
    [[nodiscard]] std::optional<Match> match() const
    {
        return m_match.offset >= 0 ? std::optional<Match>(m_match) : std::nullopt;
    }

private:
    void count(std::size_t end)
    {
        for (std::size_t i = m_counted; i < end; ++i) {
            m_match.line += m_buf[i] == '\n';
            m_match.binary = m_match.binary || m_buf[i] == 0;
        }
        m_counted = end;
    }

    QByteArray m_text;
    std::string m_buf;
    std::size_t m_counted = 0; // bytes of m_buf counted in the match's line and binary
    qint64 m_base = 0; // offset of m_buf[0]
    Match m_match;
};

// "/a/b" as a layer tar's member name normalised: "a/b".
std::string key(const QByteArray &path)
{
    std::vector<std::string_view> parts;
    if (!PathParts::split(path, parts))
        return {};
    return PathParts::joined(parts, parts.size());
}

// Where grep reads a regular file's contents: from the layer directory (openat below its
// root, no symlink followed), or what was found while the layer's tar was read.
class Contents final
{
public:
    // A layer tar: every regular member is searched while the tar is read, hard links take
    // what their target had.
    [[nodiscard]] LayerSource::FileVisitor visitor(const QByteArray &text)
    {
        return [this, text](const TarEntry &e, TarReader::Data &data) {
            const std::string k = key(e.path);
            if (k.empty())
                return;
            m_matches.erase(k);
            if (e.hardlink) {
                const auto target = m_matches.find(key(e.linkTarget));
                if (target != m_matches.end())
                    m_matches.emplace(k, target->second);
                return;
            }
            if (e.type != EntryType::File || e.path.contains("/.wh.") || e.path.startsWith(".wh."))
                return;
            StreamGrep g(text);
            TarReader::Data::Block block;
            while (data.next(block) && g.feed(block.bytes, block.size)) { }
            if (auto m = g.match())
                m_matches.emplace(k, std::move(*m));
        };
    }
    void openDir(int rootFd) { m_root.emplace(rootFd); }

    // The match in the file at `path` ("/a/b"), or a problem.
    [[nodiscard]] Result<std::optional<StreamGrep::Match>> search(
        const QByteArray &path, const QByteArray &text, std::vector<char> &buffer, ScanControl *control)
    {
        if (!m_root) {
            const auto found = m_matches.find(key(path));
            if (found == m_matches.end())
                return std::optional<StreamGrep::Match>();
            return std::optional<StreamGrep::Match>(found->second);
        }
        std::vector<std::string_view> parts;
        if (!PathParts::split(path, parts) || parts.empty())
            return std::optional<StreamGrep::Match>();
        auto dir = m_root->dir(parts, parts.size() - 1, false);
        if (!dir)
            return Error {dir.error().code, QStringLiteral("cannot open: %1").arg(dir.error().message)};
        const std::string name(parts.back());
        const int fd = ::openat(*dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
            return Error {errno, QStringLiteral("cannot open: %1").arg(errnoText(errno))};
        auto result = readFd(fd, text, buffer, control);
        ::close(fd);
        return result;
    }

private:
    static Result<std::optional<StreamGrep::Match>> readFd(
        int fd, const QByteArray &text, std::vector<char> &buffer, ScanControl *control)
    {
        struct stat st {
        };
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            return std::optional<StreamGrep::Match>();
        buffer.resize(ChunkSize);
        StreamGrep g(text);
        for (;;) {
            if (control && control->isCancelled())
                break;
            const ssize_t got = ::read(fd, buffer.data(), ChunkSize);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return Error {errno, QStringLiteral("cannot read: %1").arg(errnoText(errno))};
            if (got == 0 || !g.feed(buffer.data(), static_cast<std::size_t>(got)))
                break;
        }
        return g.match();
    }

    std::optional<BeneathDir> m_root;
    std::unordered_map<std::string, StreamGrep::Match> m_matches;
};

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
    Contents *contents = nullptr;
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
        const QByteArray where = layer->source ? QByteArray(diffRoot + ':' + path) : QByteArray(diffRoot + path);
        problems->push_back(StoreProblem {decodeFileName(where), message});
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

    void findEntry(const LayerDir &d, const LayerDir::Entry &e, const QByteArray &child, EntryType type)
    {
        if (control)
            control->addEntries(1);
        const QByteArray subject
            = globHasSlash ? child : QByteArray(e.name.data(), static_cast<qsizetype>(e.name.size()));
        if (::fnmatch(glob.constData(), subject.constData(), 0) != 0)
            return;
        SearchHit h = hit(child, type);
        struct stat st {
        };
        if (type != EntryType::Directory && d.statEntry(e.name, &st))
            h.size = st.st_size;
        if (type == EntryType::Directory)
            h.opaque = d.entryXattrs(e.name, xattrs).has(OverlayXattrs::OpaqueY);
        emit(h);
    }

    void grepEntry(const LayerDir &d, const LayerDir::Entry &e, const QByteArray &child)
    {
        if (control)
            control->addEntries(1);
        auto found = contents->search(child, text, buffer, control);
        if (!found) {
            problem(child, found.error().message);
            return;
        }
        if (!*found)
            return;
        SearchHit h = hit(child, EntryType::File);
        struct stat st {
        };
        if (d.statEntry(e.name, &st))
            h.size = st.st_size;
        h.offset = (*found)->offset;
        h.line = (*found)->line;
        h.binary = (*found)->binary;
        h.text = (*found)->text;
        emit(h);
    }

    // One directory of the layer; `path` is "" at the layer's root.
    void dir(LayerDir &d, const QByteArray &path, int depth)
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
        std::vector<LayerDir::Entry> entries = d.entries();
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
        for (const LayerDir::Entry &e : entries) {
            if (stopped || cancelledNow())
                return;
            QByteArray child = path;
            child += '/';
            child.append(e.name.data(), static_cast<qsizetype>(e.name.size()));
            EntryType type = entryTypeFromDirent(e.dtype);
            if (type == EntryType::CharDevice || type == EntryType::Unknown) {
                struct stat st {
                };
                if (d.statEntry(e.name, &st))
                    type = DirScanner::isWhiteout(st) ? EntryType::Whiteout : entryTypeFromMode(st.st_mode);
            }
            if (!grep)
                findEntry(d, e, child, type);
            else if (type == EntryType::File)
                grepEntry(d, e, child);
            if (type == EntryType::Directory) {
                auto sub = d.openDir(e.name);
                if (!sub) {
                    problem(child, sub.error().message);
                    continue;
                }
                dir(**sub, child, depth + 1);
            }
        }
    }

    // One layer of the store, read as a directory or from its tar.
    void layerRoot()
    {
        Contents c;
        contents = &c;
        // A source over a directory (Podman's AUFS-form whiteouts) leaves its files on disk.
        const bool inMemory = layer->source && layer->source->directory().isEmpty();
        auto root
            = LayerRoot::open(layer->diffDir, layer->source, control, grep && inMemory ? c.visitor(text) : nullptr);
        if (!root) {
            problems->push_back(StoreProblem {layer->source ? layer->name : QString(), root.error().message});
            return;
        }
        for (const QString &w : std::as_const(root->warnings))
            problems->push_back(StoreProblem {QString(), w}); // it names the layer
        if (grep && !inMemory) {
            const int fd = ::open(diffRoot.constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                problems->push_back(
                    StoreProblem {QString(), QStringLiteral("%1: %2").arg(layer->diffDir, errnoText(errno))});
                return;
            }
            c.openDir(fd);
        }
        dir(*root->root, QByteArray(), 0);
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
        w.layerRoot();
        if (w.cancelledNow())
            return Error {ECANCELED, QStringLiteral("cancelled")};
        if (w.stopped)
            break;
    }
    return {};
}

} // namespace strata
