// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/efficiencyrun.h"

#include <algorithm>
#include <string_view>

namespace strata
{

namespace
{

constexpr std::string_view whiteoutPrefix = ".wh.";
constexpr std::string_view metaPrefix = ".wh..wh."; // dive drops these names, the opaque marker too
constexpr std::string_view opaqueMarker = ".wh..wh..opq";

bool isWhiteoutName(std::string_view name)
{
    return name.starts_with(whiteoutPrefix);
}

// Go's path.Clean, split: "./a//b/" and "/a/b" are {"a", "b"}; "." is nothing.
std::vector<std::string_view> components(const QByteArray &path)
{
    std::vector<std::string_view> parts;
    std::string_view rest(path.constData(), std::size_t(path.size()));
    while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        const std::string_view part = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (!parts.empty())
                parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    return parts;
}

} // namespace

EfficiencyRun::EfficiencyRun(bool opaqueAware, bool changes) : m_opaqueAware(opaqueAware), m_changes(changes)
{
    m_state.push_back(PathState {});
}

EfficiencyRun::PathState &EfficiencyRun::state(std::uint32_t id)
{
    while (m_state.size() <= id)
        m_state.push_back(PathState {});
    return m_state[id];
}

bool EfficiencyRun::inLayer(std::uint32_t id) const
{
    return id != none && id < m_state.size() && m_state[id].layer == m_layerIndex;
}

void EfficiencyRun::beginLayer()
{
    m_layerNodes.clear();
    m_opaque.clear();
    m_current = LayerAnalysis {};
    PathState &root = state(PathTable::root);
    root.layer = m_layerIndex;
    root.childCount = 0;
}

void EfficiencyRun::add(const TarEntry &entry)
{
    m_current.sizeBytes += entry.size;
    ++m_current.entries;
    const std::vector<std::string_view> parts = components(entry.path);
    std::uint32_t node = PathTable::root;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::uint32_t id = m_paths.find(node, parts[i]);
        if (!inLayer(id)) {
            // dive's AddPath: a .wh..wh. name ends the path before it is added.
            if (parts[i].starts_with(metaPrefix)) {
                if (parts[i] == opaqueMarker && i + 1 == parts.size()) {
                    ++m_current.opaqueDirectories;
                    m_sawOpaque = true;
                    if (std::find(m_opaque.begin(), m_opaque.end(), node) == m_opaque.end())
                        m_opaque.push_back(node);
                }
                return;
            }
            id = m_paths.child(node, parts[i]);
            PathState &s = state(id);
            s.layer = m_layerIndex;
            s.layerDir = false;
            s.layerSize = 0;
            s.childCount = 0;
            m_layerNodes.push_back(id);
        }
        node = id;
    }
    if (node == PathTable::root)
        return;
    PathState &s = state(node);
    s.layerSize = entry.size;
    s.layerDir = entry.type == EntryType::Directory;
}

void EfficiencyRun::sortLayerChildren()
{
    m_children = m_layerNodes;
    std::sort(m_children.begin(), m_children.end(), [this](std::uint32_t a, std::uint32_t b) {
        const std::uint32_t pa = m_paths.parent(a);
        const std::uint32_t pb = m_paths.parent(b);
        return pa != pb ? pa < pb : m_paths.name(a) < m_paths.name(b);
    });
    for (std::uint32_t i = 0; i < m_children.size();) {
        const std::uint32_t parent = m_paths.parent(m_children[i]);
        std::uint32_t end = i;
        while (end < m_children.size() && m_paths.parent(m_children[end]) == parent)
            ++end;
        PathState &p = state(parent);
        p.childBegin = i;
        p.childCount = end - i;
        i = end;
    }
}

void EfficiencyRun::endLayer(LayerAnalysis &layer)
{
    sortLayerChildren();
    if (m_layerIndex == 0)
        copyLayer();
    scoreLayer(m_current);
    if (m_opaqueAware) {
        for (std::uint32_t dir : m_opaque)
            hideBelow(dir, m_current);
    }
    stackLayer();
    layer.sizeBytes = m_current.sizeBytes;
    layer.entries = m_current.entries;
    layer.added = m_current.added;
    layer.modified = m_current.modified;
    layer.removed = m_current.removed;
    layer.addedBytes = m_current.addedBytes;
    layer.modifiedBytes = m_current.modifiedBytes;
    layer.removedBytes = m_current.removedBytes;
    layer.opaqueDirectories = m_current.opaqueDirectories;
    if (m_changes)
        layer.changes = std::move(m_current.changes);
    ++m_layerIndex;
}

// dive stacks from a copy of layer 0 (StackTreeRange): its whiteouts are plain names there.
void EfficiencyRun::copyLayer()
{
    for (std::uint32_t id : m_layerNodes)
        stackAdd(id, m_state[id].layerSize, m_state[id].layerDir);
}

void EfficiencyRun::scoreLayer(LayerAnalysis &layer)
{
    bool aborted = false;
    // Child first, children by name, the root itself not visited (VisitDepthChildFirst).
    struct Frame {
        std::uint32_t id;
        std::uint32_t next;
    };
    std::vector<Frame> frames {{PathTable::root, 0}};
    while (!frames.empty()) {
        Frame &f = frames.back();
        const PathState &s = m_state[f.id];
        if (f.next < s.childCount) {
            const std::uint32_t child = m_children[s.childBegin + f.next++];
            frames.push_back({child, 0});
            continue;
        }
        const std::uint32_t id = f.id;
        frames.pop_back();
        if (id != PathTable::root && m_state[id].childCount == 0)
            scoreNode(id, layer, aborted);
    }
}

// One leaf: a change of the layer, and (until a whiteout misses its target) one reference.
void EfficiencyRun::scoreNode(std::uint32_t id, LayerAnalysis &layer, bool &aborted)
{
    const PathState &s = m_state[id];
    if (!isWhiteoutName(m_paths.name(id))) {
        const bool below = m_layerIndex > 0 && s.inStack;
        (below ? layer.modified : layer.added) += 1;
        (below ? layer.modifiedBytes : layer.addedBytes) += s.layerSize;
        change(id, below ? 'M' : 'A', s.layerSize);
        if (!aborted)
            reference(id, s.layerSize);
        return;
    }
    const std::uint32_t target = m_paths.child(m_paths.parent(id), m_paths.name(id).substr(whiteoutPrefix.size()));
    const std::optional<std::int64_t> size = deletedSize(target);
    ++layer.removed;
    layer.removedBytes += size.value_or(0);
    change(target, 'D', size.value_or(0));
    if (aborted)
        return;
    if (!size) {
        // dive's visitor fails here: the path is in its map with no size, the layer's walk ends.
        PathState &t = state(target);
        if (!t.scored) {
            t.scored = true;
            m_scored.push_back(target);
        }
        aborted = true;
        return;
    }
    reference(target, *size);
}

void EfficiencyRun::change(std::uint32_t id, char kind, std::int64_t size)
{
    if (m_changes)
        m_current.changes.push_back({m_paths.path(id), kind, size});
}

void EfficiencyRun::reference(std::uint32_t key, std::int64_t size)
{
    PathState &d = state(key);
    if (!d.scored) {
        d.scored = true;
        m_scored.push_back(key);
    }
    d.cumulative += size;
    if (d.minimum < 0 || size < d.minimum)
        d.minimum = size;
    if (++d.count == 2)
        m_inefficient.push_back(key);
}

// Opaque-aware only: every name below `dir` that this layer does not bring again is deleted.
void EfficiencyRun::hideBelow(std::uint32_t dir, LayerAnalysis &layer)
{
    for (std::uint32_t c = m_state[dir].firstChild; c != none; c = m_state[c].nextSibling) {
        if (inLayer(c)) {
            if (m_state[c].childCount > 0)
                hideBelow(c, layer);
            continue;
        }
        const std::int64_t size = m_state[c].stackDir ? subtreeSize(c) : 0;
        ++layer.removed;
        layer.removedBytes += size;
        change(c, 'D', size);
        reference(c, size);
    }
}

std::uint32_t EfficiencyRun::whiteoutTarget(std::uint32_t id) const
{
    return m_paths.find(m_paths.parent(id), m_paths.name(id).substr(whiteoutPrefix.size()));
}

std::optional<std::int64_t> EfficiencyRun::deletedSize(std::uint32_t target) const
{
    if (target == none || target >= m_state.size() || !m_state[target].inStack)
        return std::nullopt;
    return m_state[target].stackDir ? subtreeSize(target) : 0;
}

std::int64_t EfficiencyRun::subtreeSize(std::uint32_t id) const
{
    std::int64_t sum = m_state[id].stackSize;
    for (std::uint32_t c = m_state[id].firstChild; c != none; c = m_state[c].nextSibling)
        sum += subtreeSize(c);
    return sum;
}

void EfficiencyRun::stackLayer()
{
    if (m_opaqueAware) {
        for (std::uint32_t dir : m_opaque) {
            while (m_state[dir].firstChild != none)
                stackRemove(m_state[dir].firstChild);
        }
    }
    graft(PathTable::root);
}

// dive's FileTree.Stack: every node of the layer, child first; a whiteout removes its target,
// anything else is added with the layer's data (an implied directory with none: not a dir).
void EfficiencyRun::graft(std::uint32_t id)
{
    const PathState &s = m_state[id];
    const std::uint32_t begin = s.childBegin;
    const std::uint32_t count = s.childCount;
    for (std::uint32_t i = 0; i < count; ++i)
        graft(m_children[begin + i]);
    if (id == PathTable::root)
        return;
    if (isWhiteoutName(m_paths.name(id))) {
        const std::uint32_t target = whiteoutTarget(id);
        if (target != none && target < m_state.size() && m_state[target].inStack)
            stackRemove(target);
        return;
    }
    stackAdd(id, m_state[id].layerSize, m_state[id].layerDir);
}

void EfficiencyRun::stackAdd(std::uint32_t id, std::int64_t size, bool dir)
{
    if (!state(id).inStack)
        stackLink(id);
    PathState &s = m_state[id];
    s.stackSize = size;
    s.stackDir = dir;
}

// Links `id` and its missing parents into the stack, parents as nodes without data.
void EfficiencyRun::stackLink(std::uint32_t id)
{
    const std::uint32_t parent = m_paths.parent(id);
    if (parent != PathTable::root && !state(parent).inStack)
        stackLink(parent);
    PathState &s = state(id);
    PathState &p = m_state[parent];
    s.inStack = true;
    s.stackSize = 0;
    s.stackDir = false;
    s.firstChild = none;
    s.prevSibling = none;
    s.nextSibling = p.firstChild;
    if (p.firstChild != none)
        m_state[p.firstChild].prevSibling = id;
    p.firstChild = id;
}

void EfficiencyRun::stackRemove(std::uint32_t id)
{
    while (m_state[id].firstChild != none)
        stackRemove(m_state[id].firstChild);
    PathState &s = m_state[id];
    if (s.prevSibling != none)
        m_state[s.prevSibling].nextSibling = s.nextSibling;
    else
        m_state[m_paths.parent(id)].firstChild = s.nextSibling;
    if (s.nextSibling != none)
        m_state[s.nextSibling].prevSibling = s.prevSibling;
    s.inStack = false;
    s.prevSibling = s.nextSibling = none;
}

double EfficiencyRun::efficiency() const
{
    std::int64_t minimum = 0;
    std::int64_t discovered = 0;
    for (std::uint32_t id : m_scored) {
        minimum += m_state[id].minimum;
        discovered += m_state[id].cumulative;
    }
    return discovered == 0 ? 1.0 : double(minimum) / double(discovered);
}

std::int64_t EfficiencyRun::inefficientBytes() const
{
    std::int64_t sum = 0;
    for (std::uint32_t id : m_inefficient)
        sum += m_state[id].cumulative;
    return sum;
}

QVector<FileReference> EfficiencyRun::references() const
{
    // dive: sort.Sort ascending, reversed when listed. Go sorts up to 12 elements by insertion
    // (stable); a stable sort gives its order there.
    std::vector<std::uint32_t> order = m_inefficient;
    std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
        return m_state[a].cumulative < m_state[b].cumulative;
    });
    QVector<FileReference> out;
    out.reserve(qsizetype(order.size()));
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        out.push_back({m_paths.path(*it), m_state[*it].count, m_state[*it].cumulative});
    return out;
}

} // namespace strata
