// SPDX-License-Identifier: GPL-2.0-or-later
#include "mergedtreebuilder.h"

#include "core/layer/layersource.h"
#include "core/util/filename.h"
#include "core/util/jsonstring.h"
#include "core/util/parallel.h"
#include "core/util/scancontrol.h"

#include <QByteArrayView>
#include <QFile>
#include <QHash>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_set>

namespace strata
{

namespace
{

constexpr int MaxDepth = 2048;

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace

MergedTreeBuilder::MergedTreeBuilder(const MergeLayers &layers, const MergeOptions &options, ScanControl *control)
    : m_control(control)
{
    m_tree.m_layers = layers;
    m_tree.m_options = options;
}

bool MergedTreeBuilder::isBottomLayer(std::uint16_t layer) const
{
    // A layer alone is no mount (one lower needs an upper): it shows its marks as they are.
    return layer == m_bottomLayer && m_tree.m_layers.at(layer).role == LayerRole::Lower && m_firstData > 1;
}

void MergedTreeBuilder::addShadow(
    WorkerState &ws, NodeId node, std::uint16_t layer, EntryType type, MergedTree::ShadowReason reason)
{
    ws.shadows.push_back(MergedTree::Shadow {node, layer, type, reason});
    if (reason != MergedTree::ShadowReason::Merged)
        m_tree.m_nodes[node].flags |= MergedNode::HasShadows;
}

void MergedTreeBuilder::addText(WorkerState &ws, NodeId node, MergedTree::TextKind kind, std::string_view text)
{
    const std::uint64_t offset = ws.texts.add(text);
    ws.textRecords.push_back(MergedTree::TextRecord {node, kind, static_cast<std::uint32_t>(text.size()), offset});
}

void MergedTreeBuilder::addError(WorkerState &ws, NodeId node, const QString &message)
{
    MergedNode &n = m_tree.m_nodes[node];
    if (n.has(MergedNode::HasError))
        return; // the first problem is the one worth showing
    n.flags |= MergedNode::HasError;
    const QByteArray utf8 = message.toUtf8();
    addText(
        ws, node, MergedTree::TextKind::Error, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

QByteArray MergedTreeBuilder::relPathOf(const StackEntry &e, NodeId dirId) const
{
    if (e.redirected)
        return e.relPath;
    return dirId == MergedTree::root() ? QByteArray() : m_tree.path(dirId);
}

Result<MergedTree> MergedTreeBuilder::run()
{
    const MergeLayers &layers = m_tree.m_layers;
    if (layers.isEmpty())
        return Error {EINVAL, QStringLiteral("no layers to merge")};
    if (layers.size() > 0xfffe)
        return Error {E2BIG, QStringLiteral("too many layers (%1)").arg(layers.size())};
    // Data-only layers come last (Workspace::mergeLayers); the regular ones end before them.
    m_firstData = layers.size();
    while (m_firstData > 1 && layers.at(m_firstData - 1).dataOnly)
        --m_firstData;
    m_bottomLayer = static_cast<std::uint16_t>(m_firstData - 1);

    const bool anyDirectory
        = std::any_of(layers.cbegin(), layers.cend(), [](const MergeLayer &l) { return !l.source; });
    if (anyDirectory && m_tree.m_options.xattrs == XattrNamespace::Trusted && ::geteuid() != 0) {
        m_tree.m_warnings << QStringLiteral(
            "not running as root: trusted.overlay.* xattrs (opaque directories, redirects) cannot be read, "
            "so the view may show lower entries that the kernel hides");
    }

    // The root node.
    m_tree.m_nodes.grow(1);
    MergedNode &rootNode = m_tree.m_nodes[0];
    rootNode = MergedNode {};
    rootNode.nameOffset = m_tree.m_names.add({});
    rootNode.type = EntryType::Directory;

    if (const Status loaded = loadSources(); !loaded)
        return loaded.error();
    m_states.push_back(std::make_unique<WorkerState>());
    Stack stack;
    if (const Status opened = openLayers(*m_states.front(), stack); !opened)
        return opened.error();
    if (!scan(std::move(stack)))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    m_loaded.clear(); // the layers read into memory: the tree holds what it needs
    m_roots.clear();
    finish();
    return std::move(m_tree);
}

Status MergedTreeBuilder::loadSources()
{
    const MergeLayers &layers = m_tree.m_layers;
    const auto count = static_cast<std::size_t>(layers.size());
    m_loaded.assign(count, nullptr);
    std::vector<QStringList> warnings(count);
    std::vector<QString> failures(count);
    parallelFor(count, parallelWorkers(), [&](std::size_t i, unsigned) {
        const MergeLayer &l = layers.at(static_cast<qsizetype>(i));
        if (!l.source)
            return;
        auto loaded = l.source->load(m_control);
        if (!loaded) {
            failures[i] = l.name + QStringLiteral(": ") + loaded.error().message;
            return;
        }
        m_loaded[i] = std::move(loaded->root);
        warnings[i] = std::move(loaded->warnings);
    });
    if (m_control && m_control->isCancelled())
        return Error {ECANCELED, QStringLiteral("cancelled")};
    QStringList failed;
    for (std::size_t i = 0; i < count; ++i) {
        m_tree.m_warnings << warnings[i];
        if (!failures[i].isEmpty())
            failed << failures[i];
    }
    if (!failed.isEmpty())
        return Error {EIO, QStringLiteral("cannot read layer ") + failed.join(QStringLiteral("; "))};
    return {};
}

Result<std::shared_ptr<LayerDir>> MergedTreeBuilder::openRoot(qsizetype layer) const
{
    const MergeLayer &l = m_tree.m_layers.at(layer);
    if (l.source) // read by loadSources(); its directories list without changing them
        return m_loaded[static_cast<std::size_t>(layer)];
    auto opened = DirScanner::openRoot(encodeFileName(l.path));
    if (!opened)
        return opened.error();
    return std::shared_ptr<LayerDir>(std::make_shared<DirScanner>(std::move(opened.value())));
}

Status MergedTreeBuilder::openLayers(WorkerState &ws, Stack &stack)
{
    const MergeLayers &layers = m_tree.m_layers;
    m_roots.resize(static_cast<size_t>(layers.size()));
    QStringList failures;
    for (qsizetype i = 0; i < layers.size(); ++i) {
        auto opened = openRoot(i);
        if (!opened) {
            failures << QStringLiteral("%1 layer %2: %3")
                            .arg(roleName(layers.at(i).role), layers.at(i).path, opened.error().message);
            continue;
        }
        m_roots[static_cast<size_t>(i)] = std::move(opened.value());
        if (i >= m_firstData)
            continue; // never in the namespace: only findData() reads it
        auto again = openRoot(i);
        if (!again)
            continue;
        StackEntry e;
        e.dir = std::move(again.value());
        e.layer = static_cast<std::uint16_t>(i);
        (void)readDirMarks(e); // as the kernel: never for the bottom layer (ovl_get_root)
        if (stack.empty()) {
            struct stat st {
            };
            if (e.dir->statSelf(&st)) {
                setStat(m_tree.m_nodes[0], st);
                m_tree.m_nodes[0].layer = e.layer;
            }
        } else {
            addShadow(ws, 0, e.layer, EntryType::Directory, MergedTree::ShadowReason::Merged);
        }
        stack.push_back(std::move(e));
    }
    if (!failures.isEmpty()) {
        // A layer the kernel could not resolve makes the mount fail; say so rather than
        // showing a view that no mount would ever show.
        return Error {ENOENT, QStringLiteral("cannot open layer directory: ") + failures.join(QStringLiteral("; "))};
    }
    if (stack.size() > 1)
        m_tree.m_nodes[0].flags |= MergedNode::Merged;
    return {};
}

bool MergedTreeBuilder::prepareTask(WorkerState &ws, const Task &task, Stack &out)
{
    const ChildDir &cd = task.parent->dirs[task.index];
    return prepareChildStack(ws,
        cd.id,
        task.parent->dir,
        task.parent->stack,
        task.parent->candidates.data() + cd.candBegin,
        cd.candEnd - cd.candBegin,
        out);
}

bool MergedTreeBuilder::scan(Stack rootStack)
{
    // Expand the top of the tree breadth-first on this thread until there are enough
    // subdirectories to keep every core busy, then let the workers take whole subtrees.
    WorkerState &main = *m_states.front();
    const unsigned threads = parallelWorkers();
    const std::size_t enough = threads > 1 ? std::size_t(threads) * 16 : 0;
    std::deque<Task> frontier;
    auto expand = [&frontier](const std::shared_ptr<Context> &ctx) {
        for (std::size_t i = 0; i < ctx->dirs.size(); ++i)
            frontier.push_back(Task {ctx, i});
    };
    auto rootContext = std::make_shared<Context>();
    rootContext->stack = std::move(rootStack);
    bool completed = processDir(main, 0, rootContext->stack, 0, rootContext.get());
    expand(rootContext);
    rootContext.reset();
    while (completed && !frontier.empty() && frontier.size() < enough) {
        const Task t = std::move(frontier.front());
        frontier.pop_front();
        auto ctx = std::make_shared<Context>();
        if (!prepareTask(main, t, ctx->stack))
            continue;
        completed = processDir(main, t.parent->dirs[t.index].id, ctx->stack, t.parent->depth + 1, ctx.get());
        expand(ctx);
    }

    std::vector<Task> tasks(std::make_move_iterator(frontier.begin()), std::make_move_iterator(frontier.end()));
    frontier.clear();
    std::atomic_bool failed {!completed};
    const unsigned workers = tasks.size() > 1 ? threads : 1;
    while (m_states.size() < workers)
        m_states.push_back(std::make_unique<WorkerState>());
    parallelFor(tasks.size(), workers, [&](std::size_t i, unsigned worker) {
        if (failed.load())
            return;
        // Taking the parent out lets its directories close as soon as its last child is open.
        const Task t {std::move(tasks[i].parent), tasks[i].index};
        WorkerState &state = *m_states[worker];
        Stack childStack;
        if (prepareTask(state, t, childStack)
            && !processDir(state, t.parent->dirs[t.index].id, childStack, t.parent->depth + 1, nullptr))
            failed = true;
    });
    return !failed;
}

void MergedTreeBuilder::finish()
{
    for (const auto &state : m_states)
        mergeState(*state);
    // Side tables were appended in processing order; lookups want them by node.
    auto sortSideTables = [this] {
        std::stable_sort(m_tree.m_shadows.begin(), m_tree.m_shadows.end(), [](const auto &a, const auto &b) {
            return a.node < b.node;
        });
        std::stable_sort(m_tree.m_textRecords.begin(), m_tree.m_textRecords.end(), [](const auto &a, const auto &b) {
            return a.node < b.node;
        });
    };
    sortSideTables();
    std::vector<RedirectKey> redirectKeys;
    for (const auto &state : m_states)
        redirectKeys.insert(redirectKeys.end(), state->redirectKeys.begin(), state->redirectKeys.end());
    m_states.clear();
    if (!redirectKeys.empty()) {
        WorkerState post;
        checkLowerConflicts(post, redirectKeys);
        mergeState(post);
        sortSideTables();
    }
    m_tree.m_shadows.shrink_to_fit();
    m_tree.m_textRecords.shrink_to_fit();

    std::size_t visible = 0;
    for (std::size_t i = 0; i < m_tree.m_nodes.size(); ++i)
        visible += m_tree.m_nodes[i].isVisible() ? 1 : 0;
    m_tree.m_visible = visible;
}

void MergedTreeBuilder::setStat(MergedNode &n, const struct stat &st)
{
    n.mode = st.st_mode;
    n.uid = st.st_uid;
    n.gid = st.st_gid;
    n.size = st.st_size;
    n.mtime = st.st_mtim.tv_sec;
}

bool MergedTreeBuilder::processDir(WorkerState &ws, NodeId dirId, Stack &stack, int depth, Context *expand)
{
    if (m_control && m_control->isCancelled())
        return false;
    if (depth > MaxDepth) {
        addError(ws, dirId, QStringLiteral("directory nesting deeper than %1 levels: not listed").arg(MaxDepth));
        m_tree.m_nodes[dirId].flags |= MergedNode::Unreadable;
        return true;
    }
    std::vector<Hit> hits = listLayers(ws, dirId, stack);
    DirPlan dp;
    for (std::size_t i = 0; i < hits.size();) {
        std::size_t end = i + 1;
        while (end < hits.size() && hits[end].name == hits[i].name)
            ++end;
        planName(stack, hits.data() + i, end - i, dp);
        i = end;
    }
    const auto count = static_cast<std::uint32_t>(dp.plans.size());
    const NodeId first = storeChildren(ws, dirId, stack, dp.plans);
    for (const PendingShadow &p : dp.pending)
        addShadow(ws, first + p.ordinal, stack[p.pos].layer, p.type, p.reason);
    for (std::uint32_t k = 0; k < count; ++k) {
        if (dp.plans[k].dataLayer >= 0) // the lowest of all: after what the stack hides
            addShadow(ws,
                first + k,
                static_cast<std::uint16_t>(dp.plans[k].dataLayer),
                EntryType::File,
                MergedTree::ShadowReason::DataSource);
    }
    if (m_control) {
        m_control->addEntries(count);
        m_control->addDirectories(1);
    }

    // Names now live in the tree's arena: drop the listings before going deeper, so memory
    // held along the current path stays small.
    for (StackEntry &e : stack)
        e.dir->releaseEntries();

    if (expand) {
        // Hand the subdirectories to the caller, who spreads them over worker threads.
        expand->dir = dirId;
        expand->depth = depth;
        for (std::uint32_t k = 0; k < count; ++k) {
            if (dp.plans[k].type == EntryType::Directory)
                expand->dirs.push_back(ChildDir {first + k, dp.plans[k].candBegin, dp.plans[k].candEnd});
        }
        expand->candidates = std::move(dp.candidates);
        return true;
    }
    for (std::uint32_t k = 0; k < count; ++k) {
        const Plan &plan = dp.plans[k];
        if (plan.type != EntryType::Directory)
            continue;
        const NodeId id = first + k;
        Stack childStack;
        if (!prepareChildStack(
                ws, id, dirId, stack, dp.candidates.data() + plan.candBegin, plan.candEnd - plan.candBegin, childStack))
            continue;
        if (!processDir(ws, id, childStack, depth + 1, nullptr))
            return false;
    }
    return true;
}

std::vector<MergedTreeBuilder::Hit> MergedTreeBuilder::listLayers(WorkerState &ws, NodeId dirId, Stack &stack)
{
    std::vector<Hit> hits;
    for (std::size_t pos = 0; pos < stack.size(); ++pos) {
        StackEntry &e = stack[pos];
        if (!e.dir->readAll()) {
            addError(ws,
                dirId,
                QStringLiteral("cannot list in %1: %2")
                    .arg(m_tree.m_layers.at(e.layer).name, errnoText(e.dir->readError())));
            // The kernel's merged readdir fails as a whole when one layer cannot be read.
            m_tree.m_nodes[dirId].flags |= MergedNode::Unreadable;
            continue;
        }
        for (const LayerDir::Entry &entry : e.dir->entries())
            hits.push_back(Hit {entry.name, static_cast<std::uint16_t>(pos), entry.dtype});
    }
    std::sort(hits.begin(), hits.end(), [](const Hit &a, const Hit &b) {
        const int c = a.name.compare(b.name);
        return c != 0 ? c < 0 : a.pos < b.pos;
    });
    return hits;
}

EntryType MergedTreeBuilder::classify(const StackEntry &e, const Hit &hit, bool stopped, HitStat &hs) const
{
    EntryType t = entryTypeFromDirent(hit.dtype);
    if (t == EntryType::CharDevice || t == EntryType::Unknown) {
        if (e.dir->statEntry(hit.name, &hs.st)) {
            hs.have = true;
            t = DirScanner::isWhiteout(hs.st) ? EntryType::Whiteout : entryTypeFromMode(hs.st.st_mode);
        }
    } else if (t == EntryType::File && e.xwhiteouts && !stopped) {
        if (e.dir->statEntry(hit.name, &hs.st)) {
            hs.have = true;
            if (hs.st.st_size == 0
                && e.dir->entryXattrs(hit.name, m_tree.m_options.xattrs).has(OverlayXattrs::XWhiteout)) {
                t = EntryType::Whiteout;
                hs.xwhiteout = true;
            }
        }
    }
    return t;
}

void MergedTreeBuilder::planName(Stack &stack, const Hit *hits, std::size_t count, DirPlan &dp) const
{
    const XattrNamespace ns = m_tree.m_options.xattrs;
    Plan plan;
    plan.name = hits[0].name;
    plan.candBegin = plan.candEnd = static_cast<std::uint32_t>(dp.candidates.size());
    const auto ordinal = static_cast<std::uint32_t>(dp.plans.size());
    bool decided = false;
    bool stopped = false;
    bool wantData = false; // a metacopy file looks for its data below
    auto reasonBelow = MergedTree::ShadowReason::Shadowed;
    auto shadow = [&dp, ordinal](const Hit &hit, EntryType t, MergedTree::ShadowReason reason) {
        dp.pending.push_back(PendingShadow {ordinal, hit.pos, t, reason});
    };
    for (std::size_t h = 0; h < count; ++h) {
        const Hit &hit = hits[h];
        StackEntry &e = stack[hit.pos];
        HitStat hs;
        const EntryType t = classify(e, hit, stopped, hs);
        if (stopped) {
            shadow(hit, t, reasonBelow);
            continue;
        }
        if (wantData) {
            // Lookup below a metacopy file: the first regular file that is not itself a
            // metacopy file holds the data; anything else there is an I/O error.
            if (t == EntryType::File) {
                const OverlayXattrs x = e.dir->entryXattrs(hit.name, ns);
                if (x.has(OverlayXattrs::Metacopy)) {
                    if (x.redirect().startsWith('/'))
                        plan.dataRedirect = x.redirect();
                    shadow(hit, t, MergedTree::ShadowReason::Shadowed);
                    continue;
                }
            }
            shadow(hit,
                t,
                t == EntryType::File ? MergedTree::ShadowReason::DataSource : MergedTree::ShadowReason::Shadowed);
            plan.dataMissing = t != EntryType::File;
            wantData = false;
            stopped = true;
            continue;
        }
        if (t == EntryType::Whiteout) {
            stopped = true;
            reasonBelow = MergedTree::ShadowReason::HiddenByWhiteout;
            if (decided) {
                // A whiteout below a directory ends the merge there.
                shadow(hit, t, MergedTree::ShadowReason::Shadowed);
            } else {
                decided = true;
                plan.type = EntryType::Whiteout;
                plan.providerPos = hit.pos;
                plan.flags |= MergedNode::Whiteout | (hs.xwhiteout ? MergedNode::XWhiteout : 0);
                plan.haveStat = hs.have;
                plan.st = hs.st;
            }
        } else if (t == EntryType::Directory) {
            if (!decided) {
                decided = true;
                plan.type = EntryType::Directory;
                plan.providerPos = hit.pos;
            }
            dp.candidates.push_back(hit.pos);
        } else if (decided) {
            // A non-directory below a directory is ignored, and lookup stops.
            shadow(hit, t, MergedTree::ShadowReason::Shadowed);
            stopped = true;
        } else {
            decided = true;
            plan.type = t;
            plan.providerPos = hit.pos;
            plan.haveStat = hs.have;
            plan.st = hs.st;
            stopped = true;
            if (t == EntryType::File && planMetacopy(e, hit, plan)) {
                stopped = false;
                wantData = true;
            }
        }
    }
    plan.candEnd = static_cast<std::uint32_t>(dp.candidates.size());
    if (wantData && !plan.dataRedirect.isEmpty() && hasDataLayers())
        findData(plan); // nothing below in the regular layers: the data-only ones have it
    else if (wantData)
        plan.dataMissing = true;
    dp.plans.push_back(plan);
}

bool MergedTreeBuilder::planMetacopy(const StackEntry &e, const Hit &hit, Plan &plan) const
{
    const bool metacopy = m_tree.m_options.metacopy;
    if (!metacopy && !hasDataLayers())
        return false;
    const OverlayXattrs x = e.dir->entryXattrs(hit.name, m_tree.m_options.xattrs);
    if (!x.has(OverlayXattrs::Metacopy))
        return false;
    plan.flags |= MergedNode::Metacopy;
    if (x.redirect().startsWith('/'))
        plan.dataRedirect = x.redirect();
    if (metacopy)
        return true;
    const bool lower = m_tree.m_layers.at(e.layer).role == LayerRole::Lower;
    if (lower && e.layer == m_bottomLayer && !plan.dataRedirect.isEmpty()) {
        // Without metacopy=on only this use is allowed: the last regular layer's metacopy
        // file with an absolute redirect into the data-only layers.
        findData(plan);
    } else if (lower) {
        plan.refused = true;
        plan.dataRedirect.clear();
    } else {
        plan.flags &= static_cast<std::uint16_t>(~MergedNode::Metacopy);
        plan.dataRedirect.clear();
    }
    return false;
}

void MergedTreeBuilder::findData(Plan &plan) const
{
    const QList<QByteArray> parts = plan.dataRedirect.mid(1).split('/');
    for (qsizetype L = m_firstData; L < m_tree.m_layers.size(); ++L) {
        std::shared_ptr<LayerDir> cur = m_roots[static_cast<std::size_t>(L)];
        for (qsizetype c = 0; cur && c < parts.size(); ++c) {
            const std::string_view comp(parts[c].constData(), static_cast<size_t>(parts[c].size()));
            struct stat st {
            };
            const bool last = c + 1 == parts.size();
            if (comp.empty() || !cur->statEntry(comp, &st) || (last ? !S_ISREG(st.st_mode) : !S_ISDIR(st.st_mode))) {
                cur.reset();
            } else if (last) {
                plan.dataLayer = static_cast<int>(L);
                return;
            } else {
                auto opened = cur->openDir(comp);
                cur = opened ? std::move(opened.value()) : nullptr;
            }
        }
    }
    plan.dataAbsent = true;
}

NodeId MergedTreeBuilder::storeChildren(WorkerState &ws, NodeId dirId, Stack &stack, std::vector<Plan> &plans)
{
    // Children are stored as one contiguous block, already sorted by name.
    const auto count = static_cast<std::uint32_t>(plans.size());
    NodeId first = 0;
    {
        // Workers share the node and name storage: one lock per directory.
        std::lock_guard lock(m_allocMutex);
        first = static_cast<NodeId>(m_tree.m_nodes.grow(count));
        for (std::uint32_t k = 0; k < count; ++k)
            m_tree.m_nodes[first + k].nameOffset = m_tree.m_names.add(plans[k].name);
    }
    MergedNode &dir = m_tree.m_nodes[dirId];
    dir.firstChild = first;
    dir.childCount = count;
    for (std::uint32_t k = 0; k < count; ++k)
        storeChild(ws, first + k, dirId, stack[plans[k].providerPos], plans[k]);
    return first;
}

void MergedTreeBuilder::storeChild(WorkerState &ws, NodeId id, NodeId dirId, StackEntry &e, Plan &plan)
{
    MergedNode &n = m_tree.m_nodes[id];
    const std::uint64_t nameOffset = n.nameOffset;
    n = MergedNode {};
    n.nameOffset = nameOffset;
    n.nameLength = static_cast<std::uint16_t>(plan.name.size());
    n.parent = dirId;
    n.type = plan.type;
    n.flags = plan.flags;
    n.layer = e.layer;
    if (!isValidUtf8(plan.name))
        n.flags |= MergedNode::NotUtf8;
    if (!plan.haveStat)
        plan.haveStat = e.dir->statEntry(plan.name, &plan.st);
    if (plan.haveStat && plan.type == EntryType::File && plan.st.st_size == 0 && !(plan.flags & MergedNode::Whiteout)
        && e.dir->entryXattrs(plan.name, m_tree.m_options.xattrs).has(OverlayXattrs::XWhiteout)) {
        // Lookup treats a zero-size file with overlay.whiteout as a whiteout in any layer
        // (readdir still lists it outside opaque="x" directories).
        n.flags |= MergedNode::Whiteout | MergedNode::XWhiteout;
        n.type = EntryType::Whiteout;
    }
    if (plan.dataMissing)
        addError(
            ws, id, QStringLiteral("metacopy file without data below it: the kernel answers EIO when it is opened"));
    if (plan.refused)
        addError(ws,
            id,
            QStringLiteral("refusing to follow metacopy origin: without metacopy=on the kernel takes only the last "
                           "regular layer's metacopy files with an absolute redirect into a data-only layer (EPERM)"));
    if (plan.dataAbsent)
        addError(ws,
            id,
            QStringLiteral("its data %1 is in no data-only layer: the kernel answers ENOENT when it is opened")
                .arg(QString::fromUtf8(plan.dataRedirect)));
    if (!plan.dataRedirect.isEmpty())
        addText(ws,
            id,
            MergedTree::TextKind::Redirect,
            std::string_view(plan.dataRedirect.constData(), static_cast<size_t>(plan.dataRedirect.size())));
    if (plan.haveStat)
        setStat(n, plan.st);
    else
        addError(
            ws, id, QStringLiteral("cannot stat in %1: %2").arg(m_tree.m_layers.at(e.layer).name, errnoText(errno)));
    if (n.type == EntryType::Symlink) {
        const QByteArray target = e.dir->readLink(plan.name);
        addText(ws,
            id,
            MergedTree::TextKind::SymlinkTarget,
            std::string_view(target.constData(), static_cast<size_t>(target.size())));
    }
    if (e.redirected) {
        QByteArray real = e.relPath + '/';
        real.append(plan.name.data(), static_cast<qsizetype>(plan.name.size()));
        addText(ws,
            id,
            MergedTree::TextKind::RealPath,
            std::string_view(real.constData(), static_cast<size_t>(real.size())));
    }
}

bool MergedTreeBuilder::prepareChildStack(WorkerState &ws,
    NodeId id,
    NodeId parent,
    Stack &parentStack,
    const std::uint16_t *cands,
    std::size_t candCount,
    Stack &out)
{
    buildChildStack(ws, id, name(id), parent, parentStack, cands, candCount, out);
    if (out.empty()) {
        m_tree.m_nodes[id].flags |= MergedNode::Unreadable;
        return false;
    }
    if (out.size() > 1)
        m_tree.m_nodes[id].flags |= MergedNode::Merged;
    for (const StackEntry &e : out) {
        if (m_tree.m_layers.at(e.layer).role != LayerRole::Lower)
            continue;
        if (e.redirected)
            ws.redirectKeys.push_back(RedirectKey {id, e.layer, e.relPath});
        break;
    }
    for (std::size_t s = 1; s < out.size(); ++s)
        addShadow(ws, id, out[s].layer, EntryType::Directory, MergedTree::ShadowReason::Merged);
    return true;
}

bool MergedTreeBuilder::validRedirect(const QByteArray &r)
{
    if (r.isEmpty())
        return false;
    if (!r.startsWith('/'))
        return !r.contains('/');
    return !r.contains("//") && !r.endsWith('/');
}

void MergedTreeBuilder::mergeState(WorkerState &ws)
{
    m_tree.m_shadows.insert(m_tree.m_shadows.end(), ws.shadows.begin(), ws.shadows.end());
    for (MergedTree::TextRecord r : ws.textRecords) {
        r.offset = m_tree.m_texts.add(ws.texts.view(r.offset, r.length));
        m_tree.m_textRecords.push_back(r);
    }
    ws.shadows = {};
    ws.textRecords = {};
}

void MergedTreeBuilder::checkLowerConflicts(WorkerState &ws, const std::vector<RedirectKey> &keys)
{
    // The kernel keys a directory's overlay inode by its first lower directory. When a
    // redirect makes that lower directory reachable under two merged names, the name looked
    // up second fails with ESTALE ("failed to get inode (-116)"). Which one depends on lookup
    // order, so both are flagged.
    auto flag = [this, &ws](NodeId a, NodeId b, std::uint16_t layer, const QByteArray &real) {
        for (const NodeId n : {a, b}) {
            m_tree.m_nodes[n].flags |= MergedNode::LowerConflict;
            const NodeId other = n == a ? b : a;
            addError(ws,
                n,
                QStringLiteral("its lower directory %1 in %2 is also reached as %3: the kernel refuses whichever "
                               "name it looks up second (ESTALE, stale file handle)")
                    .arg(QString::fromUtf8(real),
                        m_tree.m_layers.at(layer).name,
                        QString::fromUtf8(m_tree.path(other))));
        }
    };
    // Directories not listed here reach their first lower directory at their own path.
    std::unordered_set<NodeId> viaRedirect;
    for (const RedirectKey &k : keys)
        viaRedirect.insert(k.node);
    // Two redirected directories reaching the same lower directory (hashed: trees below a
    // redirect add one key per directory).
    QHash<QPair<std::uint16_t, QByteArray>, NodeId> firstByKey;
    for (const RedirectKey &k : keys) {
        const auto key = qMakePair(k.layer, k.realPath);
        const auto seen = firstByKey.constFind(key);
        if (seen != firstByKey.cend())
            flag(*seen, k.node, k.layer, k.realPath);
        else
            firstByKey.insert(key, k.node);
    }
    for (const RedirectKey &k : keys) {
        const auto found
            = m_tree.find(std::string_view(k.realPath.constData(), static_cast<size_t>(k.realPath.size())));
        if (!found || *found == k.node)
            continue;
        const MergedNode &n = m_tree.m_nodes[*found];
        if (!n.isVisible() || !n.isDir() || viaRedirect.count(*found))
            continue;
        // Its first lower layer must be the same one, reached without a redirect.
        std::optional<std::uint16_t> firstLower;
        if (m_tree.m_layers.at(n.layer).role == LayerRole::Lower)
            firstLower = n.layer;
        else {
            for (const MergedTree::Shadow &s : m_tree.shadows(*found)) {
                if (s.reason == MergedTree::ShadowReason::Merged) {
                    firstLower = s.layer;
                    break;
                }
            }
        }
        if (firstLower && *firstLower == k.layer)
            flag(k.node, *found, k.layer, k.realPath);
    }
}

std::string_view MergedTreeBuilder::name(NodeId id) const
{
    return m_tree.name(id);
}

OverlayXattrs MergedTreeBuilder::readDirMarks(StackEntry &e) const
{
    // The kernel does not look at xattrs of the bottom layer: nothing is below it.
    const OverlayXattrs x = isBottomLayer(e.layer) ? OverlayXattrs() : e.dir->dirXattrs(m_tree.m_options.xattrs);
    e.xwhiteouts = x.has(OverlayXattrs::OpaqueX) && m_tree.m_layers.at(e.layer).role == LayerRole::Lower;
    return x;
}

bool MergedTreeBuilder::pushDir(WorkerState &ws, NodeId child, StackEntry e, Stack &out, OverlayXattrs *xattrsOut)
{
    const std::uint16_t layer = e.layer;
    const OverlayXattrs x = readDirMarks(e);
    out.push_back(std::move(e));
    if (xattrsOut)
        *xattrsOut = x;
    if (x.has(OverlayXattrs::OpaqueY)) {
        MergedNode &n = m_tree.m_nodes[child];
        if (!n.has(MergedNode::Opaque)) {
            n.flags |= MergedNode::Opaque;
            addText(ws,
                child,
                MergedTree::TextKind::OpaqueLayer,
                std::string_view(reinterpret_cast<const char *>(&layer), sizeof layer));
        }
        return false;
    }
    return true;
}

void MergedTreeBuilder::buildChildStack(WorkerState &ws,
    NodeId child,
    std::string_view childName,
    NodeId parent,
    Stack &parentStack,
    const std::uint16_t *cands,
    std::size_t candCount,
    Stack &out)
{
    for (std::size_t k = 0; k < candCount; ++k) {
        StackEntry &pe = parentStack[cands[k]];
        auto opened = pe.dir->openDir(childName);
        if (!opened) {
            // The kernel cannot look below a directory it cannot open either (its xattrs might
            // say opaque): the stack ends here.
            addError(ws,
                child,
                QStringLiteral("cannot open in %1: %2").arg(m_tree.m_layers.at(pe.layer).name, opened.error().message));
            if (out.empty())
                m_tree.m_nodes[child].flags |= MergedNode::Unreadable;
            return;
        }
        QByteArray rel;
        if (pe.redirected) {
            rel = pe.relPath + '/';
            rel.append(childName.data(), static_cast<qsizetype>(childName.size()));
        }
        OverlayXattrs x;
        StackEntry e {.dir = std::move(opened.value()), .layer = pe.layer, .redirected = pe.redirected, .relPath = rel};
        const bool goOn = pushDir(ws, child, std::move(e), out, &x);
        if (!goOn) {
            for (std::size_t r = k + 1; r < candCount; ++r)
                addShadow(ws,
                    child,
                    parentStack[cands[r]].layer,
                    EntryType::Directory,
                    MergedTree::ShadowReason::HiddenByOpaque);
            return;
        }
        if (x.has(OverlayXattrs::Redirect) && !m_tree.m_nodes[child].has(MergedNode::Redirect)) {
            m_tree.m_nodes[child].flags |= MergedNode::Redirect;
            const QByteArray &r = x.redirect();
            addText(ws,
                child,
                MergedTree::TextKind::Redirect,
                std::string_view(r.constData(), static_cast<size_t>(r.size())));
        }
        if (x.has(OverlayXattrs::Redirect) && !validRedirect(x.redirect())) {
            // ovl_check_redirect: an empty component, or a '/' in a relative redirect.
            addError(ws,
                child,
                QStringLiteral("has an invalid overlay.redirect \"%1\": the kernel refuses to look it up (EINVAL)")
                    .arg(QString::fromUtf8(x.redirect())));
            return;
        }
        if (x.has(OverlayXattrs::Redirect)) {
            MergedNode &n = m_tree.m_nodes[child];
            if (!n.has(MergedNode::Redirect)) {
                n.flags |= MergedNode::Redirect;
                const QByteArray &r = x.redirect();
                addText(ws,
                    child,
                    MergedTree::TextKind::Redirect,
                    std::string_view(r.constData(), static_cast<size_t>(r.size())));
            }
            // Lower directories of the same name are not part of a redirected directory.
            for (std::size_t r = k + 1; r < candCount; ++r)
                addShadow(
                    ws, child, parentStack[cands[r]].layer, EntryType::Directory, MergedTree::ShadowReason::Shadowed);
            if (!m_tree.m_options.followRedirects) {
                addError(ws,
                    child,
                    QStringLiteral("has a redirect to \"%1\" that this mount does not follow (redirect_dir=nofollow): "
                                   "the kernel refuses to look it up (EPERM) when a lower layer holds it")
                        .arg(QString::fromUtf8(x.redirect())));
                return;
            }
            followRedirect(ws, child, parent, parentStack, cands[k], x.redirect(), out);
            return;
        }
    }
}

void MergedTreeBuilder::followRedirect(WorkerState &ws,
    NodeId child,
    NodeId parent,
    Stack &parentStack,
    std::size_t fromPos,
    QByteArray redirect,
    Stack &out)
{
    // Relative redirects are looked up in the parent's layers below the one that held the
    // redirect; absolute ones from the root of every layer below it (namei.c, ovl_lookup).
    std::uint16_t fromLayer = parentStack[fromPos].layer;
    for (int guard = 0; guard < 64 && !redirect.isEmpty(); ++guard) {
        QByteArray next;
        if (!redirect.startsWith('/')) {
            if (redirect.contains('/'))
                return; // invalid: the kernel ignores it
            for (std::size_t q = fromPos + 1; q < parentStack.size(); ++q) {
                StackEntry &pe = parentStack[q];
                if (pe.layer <= fromLayer)
                    continue;
                struct stat st {
                };
                const std::string_view rname(redirect.constData(), static_cast<size_t>(redirect.size()));
                if (!pe.dir->statEntry(rname, &st))
                    continue;
                if (DirScanner::isWhiteout(st) || !S_ISDIR(st.st_mode))
                    return;
                auto opened = pe.dir->openDir(rname);
                if (!opened)
                    continue;
                QByteArray rel = relPathOf(pe, parent) + '/' + redirect;
                OverlayXattrs x;
                StackEntry e {.dir = std::move(opened.value()), .layer = pe.layer, .redirected = true, .relPath = rel};
                if (!pushDir(ws, child, std::move(e), out, &x))
                    return;
                if (x.has(OverlayXattrs::Redirect)) {
                    next = x.redirect();
                    fromPos = q;
                    fromLayer = pe.layer;
                    break;
                }
            }
        } else {
            const QList<QByteArray> parts = redirect.mid(1).split('/');
            for (std::size_t L = static_cast<std::size_t>(fromLayer) + 1; L < std::size_t(m_firstData); ++L) {
                if (!m_roots[L])
                    continue;
                std::shared_ptr<LayerDir> cur = m_roots[L];
                bool missing = false;
                bool stopAll = false;
                bool stopAfter = false;
                for (qsizetype c = 0; c < parts.size(); ++c) {
                    const std::string_view comp(parts[c].constData(), static_cast<size_t>(parts[c].size()));
                    struct stat st {
                    };
                    if (!cur->statEntry(comp, &st)) {
                        missing = true;
                        break;
                    }
                    if (DirScanner::isWhiteout(st) || !S_ISDIR(st.st_mode)) {
                        stopAll = true;
                        break;
                    }
                    auto opened = cur->openDir(comp);
                    if (!opened) {
                        missing = true;
                        break;
                    }
                    cur = std::move(opened.value());
                    if (c + 1 < parts.size() && cur->dirXattrs(m_tree.m_options.xattrs).has(OverlayXattrs::OpaqueY))
                        stopAfter = true;
                }
                if (stopAll)
                    return;
                if (missing) {
                    // An opaque directory on the way stops lookup even when the path ends
                    // nowhere in this layer (namei.c: d.stop is set before the miss).
                    if (stopAfter)
                        return;
                    continue;
                }
                OverlayXattrs x;
                const auto layer = static_cast<std::uint16_t>(L);
                StackEntry e {.dir = std::move(cur), .layer = layer, .redirected = true, .relPath = redirect};
                if (!pushDir(ws, child, std::move(e), out, &x) || stopAfter)
                    return;
                if (x.has(OverlayXattrs::Redirect)) {
                    next = x.redirect();
                    fromLayer = layer;
                    // A relative redirect found here resolves beside this directory.
                    if (!next.startsWith('/')) {
                        const qsizetype slash = redirect.lastIndexOf('/');
                        next = redirect.left(slash + 1) + next;
                    }
                    break;
                }
            }
        }
        redirect = next;
    }
}

} // namespace strata
