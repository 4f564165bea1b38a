// SPDX-License-Identifier: GPL-2.0-or-later
#include "pathexplainer.h"

#include "core/util/enumwords.h"

#include "core/fs/dirscanner.h"
#include "core/fs/overlayxattrs.h"
#include "core/image/imagestore.h"
#include "core/layer/layerroot.h"
#include "core/merge/mergedtree.h"
#include "core/util/filename.h"
#include "core/util/parallel.h"
#include "core/util/status.h"

#include <QDir>

#include <optional>
#include <vector>

#include <cerrno>
#include <sys/stat.h>

namespace strata
{

namespace
{

// The entry at `rel` in one layer (a directory, or a layer tar read in place), looked up one
// component at a time without following any symbolic link (a layer's /bin may point anywhere
// on the host).
struct LayerEntry {
    bool present = false;
    struct stat st {
    };
    QByteArray target;
    bool opaque = false;
};

LayerEntry lookup(const StackLayer &layer, const QByteArray &rel, XattrNamespace xattrs, ScanControl *control)
{
    LayerEntry e;
    auto root = LayerRoot::open(layer.diffDir, layer.source, control);
    if (!root)
        return e; // the merge says why
    std::shared_ptr<LayerDir> dir = root->root;
    QList<QByteArray> comps;
    for (const QByteArray &p : rel.split('/')) {
        if (!p.isEmpty())
            comps << p;
    }
    if (comps.isEmpty()) {
        e.present = dir->statSelf(&e.st);
        return e;
    }
    auto view = [](const QByteArray &b) {
        return std::string_view(b.constData(), static_cast<size_t>(b.size()));
    };
    for (qsizetype i = 0; i + 1 < comps.size(); ++i) {
        auto next = dir->openDir(view(comps[i]));
        if (!next)
            return e;
        dir = *next;
    }
    const std::string_view last = view(comps.last());
    if (!dir->statEntry(last, &e.st))
        return e;
    e.present = true;
    if (S_ISLNK(e.st.st_mode))
        e.target = dir->readLink(last);
    else if (S_ISDIR(e.st.st_mode))
        e.opaque = dir->entryXattrs(last, xattrs).has(OverlayXattrs::OpaqueY);
    return e;
}

QString typeWord(EntryType t)
{
    // Spelled out where the JSON name is terse; the rest keep their JSON name.
    static constexpr std::array<const char *, 4> Words {"", "file", "directory", "symbolic link"};
    const QString word = wordOf(Words, t);
    return word.isEmpty() ? entryTypeName(t) : word;
}

QString statusOf(MergedTree::ShadowReason r)
{
    return QString::fromLatin1(MergedTree::reasonName(r));
}

} // namespace

// One explanation, step by step: the stack, what each layer has, what the merged view shows,
// why the rest is hidden, and the summary.
class PathExplainer::Explainer final
{
public:
    Explainer(const ImageStore &store, const QString &path)
        : m_store(store), m_p(QDir::cleanPath(QLatin1Char('/') + path))
    {
        m_x.path = encodeFileName(m_p);
    }

    [[nodiscard]] Status resolve(const QString &ref);
    [[nodiscard]] Status resolveImage(qsizetype image);
    void lookAtLayers(ScanControl *control);
    [[nodiscard]] Status merge(ScanControl *control);
    void explainWinner();
    void explainNotReached();
    void summarize();
    [[nodiscard]] PathExplanation result() const { return m_x; }

private:
    [[nodiscard]] QString label(int i) const
    {
        const PathExplanation::Finding &f = m_x.layers.at(i);
        return f.createdBy.isEmpty() ? f.name : QStringLiteral("%1 (%2)").arg(f.name, f.createdBy);
    }
    [[nodiscard]] QString shadowNote(const MergedTree::Shadow &s) const;
    [[nodiscard]] QString whyNotReached(const PathExplanation::Finding &f) const;

    const ImageStore &m_store;
    const QString m_p;
    PathExplanation m_x;
    Stack m_stack;
    const StoreContainer *m_container = nullptr;
    std::optional<MergedTree> m_tree;
    std::optional<NodeId> m_node;
};

Status PathExplainer::Explainer::resolve(const QString &ref)
{
    if (auto c = m_store.containerIndex(ref)) {
        m_container = &m_store.containerAt(*c);
        m_x.kind = QStringLiteral("container");
        m_x.id = m_container->id;
        m_x.name = m_container->displayName();
        m_x.mergedDir = m_container->mergedDir;
        auto stack = m_store.containerStack(*c, true);
        if (!stack)
            return stack.error();
        m_stack = *stack;
    } else if (auto i = m_store.imageIndex(ref)) {
        return resolveImage(*i);
    } else {
        return Error {ENOENT, QStringLiteral("no container or image named \"%1\"").arg(ref)};
    }
    return {};
}

Status PathExplainer::Explainer::resolveImage(qsizetype i)
{
    const StoreImage &image = m_store.imageAt(i);
    m_x.kind = QStringLiteral("image");
    m_x.id = image.id;
    m_x.name = image.displayName();
    auto stack = m_store.imageStack(i);
    if (!stack)
        return stack.error();
    m_stack = *stack;
    return {};
}

// Each directory of the stack with its role and, for image layers, the instruction, and what
// it holds at the path.
void PathExplainer::Explainer::lookAtLayers(ScanControl *control)
{
    const XattrNamespace xattrs = m_store.mergeOptions().xattrs;
    // Layer tars are read whole to look one path up: all of them at once, as the merge does.
    std::vector<LayerEntry> entries(static_cast<std::size_t>(m_stack.size()));
    parallelFor(entries.size(), parallelWorkers(), [&](std::size_t i, unsigned) {
        entries[i] = lookup(m_stack.at(static_cast<qsizetype>(i)), m_x.path, xattrs, control);
    });
    for (qsizetype i = 0; i < m_stack.size(); ++i) {
        const StackLayer &l = m_stack.at(i);
        PathExplanation::Finding f;
        f.index = static_cast<int>(i);
        f.name = l.name;
        f.dir = l.diffDir;
        f.cacheId = l.cacheId;
        f.role = stackRoleName(l.kind);
        f.imageLayer = l.imageLayer;
        f.createdBy = l.createdBy;
        const LayerEntry &e = entries[static_cast<std::size_t>(i)];
        f.present = e.present;
        if (e.present) {
            f.type = DirScanner::isWhiteout(e.st) ? EntryType::Whiteout : entryTypeFromMode(e.st.st_mode);
            f.size = e.st.st_size;
            f.mode = e.st.st_mode;
            f.target = e.target;
            f.opaque = e.opaque;
        }
        m_x.layers.push_back(f);
    }
}

Status PathExplainer::Explainer::merge(ScanControl *control)
{
    auto tree = MergedTree::build(ImageStore::toMergeLayers(m_stack), m_store.mergeOptions(), control);
    if (!tree)
        return tree.error();
    m_x.warnings = tree->warnings();
    m_tree.emplace(std::move(tree.value()));
    m_node = m_tree->find(std::string_view(m_x.path.constData(), static_cast<size_t>(m_x.path.size())));
    return {};
}

QString PathExplainer::Explainer::shadowNote(const MergedTree::Shadow &s) const
{
    switch (s.reason) {
    case MergedTree::ShadowReason::Merged:
        return QStringLiteral(
            "its directory %1 is merged into the view: its entries show unless a layer above hides them")
            .arg(m_p);
    case MergedTree::ShadowReason::Shadowed:
        return QStringLiteral("has its own %1, hidden by the one in %2")
            .arg(typeWord(s.type), m_x.layers.at(m_x.winner).name);
    case MergedTree::ShadowReason::HiddenByWhiteout:
        return QStringLiteral("has a %1 here, deleted by the whiteout in %2")
            .arg(typeWord(s.type), m_x.layers.at(m_x.winner).name);
    case MergedTree::ShadowReason::HiddenByOpaque:
        return QStringLiteral(
            "has a directory here, hidden because the directory is opaque (deleted and made again) above");
    case MergedTree::ShadowReason::DataSource:
        return QStringLiteral("holds the data of the metadata-only copy above");
    }
    return {};
}

// The layer that decides (provides the entry or deletes it) and what each copy below is.
void PathExplainer::Explainer::explainWinner()
{
    if (!m_node)
        return;
    const MergedNode &n = m_tree->node(*m_node);
    m_x.visible = n.isVisible();
    m_x.type = n.type;
    m_x.winner = n.layer;
    PathExplanation::Finding &w = m_x.layers[n.layer];
    if (m_x.visible) {
        w.status = QStringLiteral("provides");
        w.note = QStringLiteral("provides %1 (%2): this is the copy the %3 shows").arg(m_p, typeWord(n.type), m_x.kind);
    } else {
        w.status = QStringLiteral("deletes");
        w.note = QStringLiteral("deletes %1: a whiteout (character device 0/0) hides every copy below").arg(m_p);
    }
    for (const MergedTree::Shadow &s : m_tree->shadows(*m_node)) {
        PathExplanation::Finding &f = m_x.layers[s.layer];
        f.status = statusOf(s.reason);
        f.note = shadowNote(s);
    }
}

// A layer that has the path but that lookup never reached: something above hides a directory
// on the way (a whiteout, an opaque directory, or a file in its place).
QString PathExplainer::Explainer::whyNotReached(const PathExplanation::Finding &f) const
{
    QByteArray anc = m_x.path;
    for (;;) {
        const qsizetype slash = anc.lastIndexOf('/');
        if (slash < 0)
            return {};
        anc = slash == 0 ? QByteArray("/") : anc.left(slash);
        const auto a = m_tree->find(std::string_view(anc.constData(), static_cast<size_t>(anc.size())));
        if (a) {
            const MergedNode &an = m_tree->node(*a);
            const QString ap = decodeFileName(anc);
            if (!an.isVisible() && an.layer < f.index)
                return QStringLiteral("%1 is deleted (whiteout) in %2").arg(ap, m_x.layers.at(an.layer).name);
            if (an.isVisible() && !an.isDir() && an.layer < f.index)
                return QStringLiteral("%1 is a %2 in %3, so nothing below it shows")
                    .arg(ap, typeWord(an.type), m_x.layers.at(an.layer).name);
            if (const auto ol = m_tree->opaqueLayer(*a); ol && *ol < f.index)
                return QStringLiteral("%1 is opaque in %2 (deleted and made again), so it hides the layers below")
                    .arg(ap, m_x.layers.at(*ol).name);
            for (const MergedTree::Shadow &s : m_tree->shadows(*a)) {
                if (s.layer == f.index && s.reason != MergedTree::ShadowReason::Merged)
                    return QStringLiteral("%1 is hidden here (%2)").arg(ap, statusOf(s.reason));
            }
        }
        if (anc == "/")
            return {};
    }
}

void PathExplainer::Explainer::explainNotReached()
{
    for (PathExplanation::Finding &f : m_x.layers) {
        if (!f.status.isEmpty())
            continue;
        if (!f.present) {
            f.status = QStringLiteral("absent");
            continue;
        }
        f.status = QStringLiteral("not_reached");
        const QString why = whyNotReached(f);
        f.note = why.isEmpty() ? QStringLiteral("has the path, but lookup does not reach this layer")
                               : QStringLiteral("has the path, but %1").arg(why);
    }
}

// The summary, in plain words.
void PathExplainer::Explainer::summarize()
{
    int copies = 0;
    for (const PathExplanation::Finding &f : std::as_const(m_x.layers))
        copies += f.present && f.type != EntryType::Whiteout ? 1 : 0;
    if (m_node && m_x.visible) {
        const PathExplanation::Finding &w = m_x.layers.at(m_x.winner);
        QString what = typeWord(m_x.type);
        if (m_x.type == EntryType::File)
            what += QStringLiteral(" of %1 bytes").arg(w.size);
        m_x.summary << QStringLiteral("%1 is a %2, seen from %3.").arg(m_p, what, label(m_x.winner));
        if (w.role == QLatin1String("upper"))
            m_x.summary << QStringLiteral("The container wrote it: its read-write layer has it.");
        else if (w.role == QLatin1String("init"))
            m_x.summary << QStringLiteral("%1's init layer made it for the container (docker diff leaves it out).")
                               .arg(m_store.kindName());
    } else if (m_node) {
        m_x.summary << QStringLiteral("%1 was deleted by %2.").arg(m_p, label(m_x.winner));
    } else {
        m_x.summary << QStringLiteral("%1 is not in the %2's view.").arg(m_p, m_x.kind);
    }
    if (copies > 1 || (copies == 1 && (!m_x.visible || m_x.winner < 0)))
        m_x.summary
            << QStringLiteral("%1 layer(s) have a copy of it; see each layer below for what hides what.").arg(copies);
    if (m_container) {
        m_x.summary << QStringLiteral("While the container runs, its files are at %1 on the host: root there can "
                                      "change them, whatever USER the container runs as (%2). This explorer only "
                                      "reads.")
                           .arg(m_container->mergedDir,
                               m_container->user.isEmpty() ? QStringLiteral("root") : m_container->user);
    }
}

Result<PathExplanation> PathExplainer::explain(
    const ImageStore &store, const QString &ref, const QString &path, ScanControl *control)
{
    Explainer e(store, path);
    if (const Status resolved = e.resolve(ref); !resolved.ok())
        return resolved.error();
    return finish(e, control);
}

Result<PathExplanation> PathExplainer::explainImage(
    const ImageStore &store, qsizetype image, const QString &path, ScanControl *control)
{
    if (image < 0 || image >= store.imageCount())
        return Error {ENOENT, QStringLiteral("no image %1 in the store").arg(image)};
    Explainer e(store, path);
    if (const Status resolved = e.resolveImage(image); !resolved.ok())
        return resolved.error();
    return finish(e, control);
}

Result<PathExplanation> PathExplainer::finish(Explainer &e, ScanControl *control)
{
    e.lookAtLayers(control);
    if (const Status merged = e.merge(control); !merged.ok())
        return merged.error();
    e.explainWinner();
    e.explainNotReached();
    e.summarize();
    return e.result();
}

} // namespace strata
