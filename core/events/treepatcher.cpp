// SPDX-License-Identifier: GPL-2.0-or-later
#include "treepatcher.h"

#include "core/events/prunedlayer.h"
#include "core/util/filename.h"

#include <QSet>

#include <algorithm>

namespace strata
{

namespace
{
using Mode = PatchRules::Mode;

std::string_view viewOf(const QByteArray &b)
{
    return {b.constData(), static_cast<size_t>(b.size())};
}
} // namespace

Status TreePatcher::gaveUp(const QString &why)
{
    return Error {EAGAIN, QStringLiteral("the view is scanned again: %1").arg(why)};
}

Result<TreePatch> TreePatcher::patch(
    const std::shared_ptr<const PatchedTree> &view, const QList<OverlayEvent> &events, ScanControl *control)
{
    TreePatch out;
    out.base = view;
    out.tree = view;
    auto rules = std::make_shared<PatchRules>();
    if (!rules->addAll(events))
        return gaveUp(QStringLiteral("an event names a path with dots")).error();
    if (rules->isEmpty())
        return out;
    // Below a redirected directory the lower layers are read under another name than the
    // rules know: only a scan of everything is sure to find them.
    for (const QByteArray &p : rules->paths()) {
        const auto id = view->find(viewOf(p));
        if (id && view->node(*id).has(MergedNode::Redirect))
            return gaveUp(QStringLiteral("%1 is redirected").arg(decodeFileName(p))).error();
    }
    MergeLayers layers = view->layers();
    for (MergeLayer &l : layers) {
        if (l.source)
            return gaveUp(QStringLiteral("layer %1 is not a directory").arg(l.name)).error();
        l.source = std::make_shared<PrunedLayer>(encodeFileName(l.path), rules);
    }
    auto scanned = MergedTree::build(layers, view->options(), control);
    if (!scanned)
        return scanned.error();
    auto tree = std::make_shared<const MergedTree>(std::move(scanned.value()));
    auto after = std::make_shared<PatchedTree>(*view);
    TreePatcher patcher(*view, *tree, *after, out);
    patcher.m_rules = rules.get();
    patcher.m_rootId = after->addTree(tree);
    if (const Status applied = patcher.apply(rules->root(), MergedTree::root(), PatchedTree::root()); !applied)
        return applied.error();
    out.tree = std::move(after);
    return out;
}

Status TreePatcher::apply(const PatchRules::Rule &rule, NodeId scanned, NodeId id)
{
    const MergedNode &was = m_before.node(id);
    const MergedNode &now = m_scanned.node(scanned);
    m_after.setData(id, idOf(scanned));
    m_after.addCounts(0, qint64(now.isVisible()) - qint64(was.isVisible()));
    if (id != PatchedTree::root())
        m_out.refreshed << id;
    // Below a Full rule everything was read; elsewhere a listing was left out on purpose.
    if (was.has(MergedNode::Unreadable) && rule.mode != Mode::Full)
        return gaveUp(QStringLiteral("%1 cannot be listed").arg(decodeFileName(m_scanned.path(scanned))));
    if (now.has(MergedNode::Redirect) && (rule.mode != Mode::Full || !covered(scanned)))
        return gaveUp(QStringLiteral("%1 is redirected").arg(decodeFileName(m_scanned.path(scanned))));
    switch (rule.mode) {
    case Mode::Node:
        if (was.isDir() != now.isDir())
            return gaveUp(QStringLiteral("%1 changed its type").arg(decodeFileName(m_scanned.path(scanned))));
        return {};
    case Mode::Spine:
        return applySpine(rule, scanned, id);
    case Mode::Level:
        return applyLevel(rule, scanned, id);
    case Mode::Full:
        return applyFull(scanned, id);
    }
    return {};
}

Status TreePatcher::applySpine(const PatchRules::Rule &rule, NodeId scanned, NodeId id)
{
    // An entry new in this view (the upper column's first copy-up of a directory): all in it
    // is new too, so the events name all of it, and the patch's tree has it whole.
    TreePatch::Change change {id, m_before.children(id), {}};
    std::vector<NodeId> appeared;
    for (const PatchRules::Rule &c : rule.children) {
        const auto now = m_scanned.child(scanned, viewOf(c.name));
        if (now && !m_before.child(id, viewOf(c.name)))
            appeared.push_back(*now);
    }
    const qsizetype slot = m_out.changes.size();
    if (!appeared.empty())
        m_out.changes.append(TreePatch::Change {}); // parents first
    for (const PatchRules::Rule &c : rule.children) {
        const auto now = m_scanned.child(scanned, viewOf(c.name));
        const auto was = m_before.child(id, viewOf(c.name));
        if (!was && now) {
            if (const Status s = count(*now); !s)
                return s;
        } else if (was && !now) {
            return gaveUp(QStringLiteral("%1 vanished where no event said so")
                              .arg(decodeFileName(QByteArray(m_scanned.path(scanned) + '/' + c.name))));
        } else if (was) {
            if (const Status s = apply(c, *now, *was); !s)
                return s;
        }
    }
    if (appeared.empty())
        return {};
    for (const NodeId now : appeared)
        change.after << idOf(now);
    change.after += change.before;
    std::sort(change.after.begin(), change.after.end(), [this](NodeId a, NodeId b) {
        return m_after.name(a) < m_after.name(b);
    });
    m_after.setChildren(id, change.after);
    m_out.changes[slot] = std::move(change);
    return {};
}

Status TreePatcher::applyLevel(const PatchRules::Rule &rule, NodeId scanned, NodeId id)
{
    const qsizetype slot = m_out.changes.size();
    m_out.changes.append(TreePatch::Change {}); // parents first: filled in once the children are done
    TreePatch::Change change {id, m_before.children(id), {}};
    const MergedNode &dir = m_scanned.node(scanned);
    for (std::uint32_t i = 0; i < dir.childCount; ++i) {
        const NodeId c = dir.firstChild + i;
        const std::string_view name = m_scanned.name(c);
        const PatchRules::Rule *r = rule.child(name);
        if (const auto was = m_before.child(id, name)) {
            // An entry no event names is what it was: it keeps its node (and no dataChanged).
            change.after << *was;
            if (r) {
                if (const Status s = apply(*r, c, *was); !s)
                    return s;
            }
            continue;
        }
        // New here: its children were read only if an event named it (a new directory's
        // entries are all new, so events name them too).
        if (m_scanned.node(c).isDir() && !r)
            return gaveUp(QStringLiteral("%1 appeared where no event said so").arg(decodeFileName(m_scanned.path(c))));
        change.after << idOf(c);
        if (const Status s = count(c); !s)
            return s;
    }
    const QSet<NodeId> kept(change.after.cbegin(), change.after.cend());
    for (const NodeId b : std::as_const(change.before)) {
        if (!kept.contains(b))
            uncount(b);
    }
    m_after.setChildren(id, change.after);
    m_out.changes[slot] = std::move(change);
    return {};
}

Status TreePatcher::applyFull(NodeId scanned, NodeId id)
{
    const qsizetype slot = m_out.changes.size();
    m_out.changes.append(TreePatch::Change {});
    TreePatch::Change change {id, m_before.children(id), {}};
    const MergedNode &dir = m_scanned.node(scanned);
    for (std::uint32_t i = 0; i < dir.childCount; ++i) {
        change.after << idOf(dir.firstChild + i);
        if (const Status s = count(dir.firstChild + i); !s)
            return s;
    }
    for (const NodeId b : std::as_const(change.before))
        uncount(b);
    m_after.setChildren(id, change.after);
    m_out.changes[slot] = std::move(change);
    return {};
}

void TreePatcher::uncount(NodeId id)
{
    m_after.addCounts(-1, m_before.node(id).isVisible() ? -1 : 0);
    const std::uint32_t n = m_before.childCount(id);
    for (std::uint32_t i = 0; i < n; ++i)
        uncount(m_before.childAt(id, i));
}

Status TreePatcher::count(NodeId scanned)
{
    const MergedNode &n = m_scanned.node(scanned);
    if (n.has(MergedNode::Redirect) && !covered(scanned))
        return gaveUp(QStringLiteral("%1 is redirected").arg(decodeFileName(m_scanned.path(scanned))));
    m_after.addCounts(1, n.isVisible() ? 1 : 0);
    for (std::uint32_t i = 0; i < n.childCount; ++i) {
        if (const Status s = count(n.firstChild + i); !s)
            return s;
    }
    return {};
}

bool TreePatcher::covered(NodeId scanned) const
{
    // Lookup followed the redirect into the lower layers: right only if the rules read all of
    // where it leads (the old name of a directory just renamed).
    QByteArray target = m_scanned.redirect(scanned);
    if (!target.startsWith('/')) {
        QByteArray parent = m_scanned.path(scanned);
        parent.truncate(std::max<qsizetype>(parent.lastIndexOf('/'), 0));
        target = parent + '/' + target;
    }
    const PatchRules::Rule *r = &m_rules->root();
    for (const QByteArray &part : target.split('/')) {
        if (part.isEmpty())
            continue;
        r = r->child(viewOf(part));
        if (!r)
            return false;
    }
    return r->mode == Mode::Full;
}

} // namespace strata
