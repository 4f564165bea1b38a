// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/images/analysistree.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace strata
{

namespace
{

struct Present {
    qint64 size = 0;
    char mark = 0;
};
using PathMap = std::map<QByteArray, Present>;

// A removal takes the path and everything below it.
void removeTree(PathMap &paths, const QByteArray &path)
{
    paths.erase(path);
    const QByteArray below = path + '/';
    auto it = paths.lower_bound(below);
    while (it != paths.end() && it->first.startsWith(below))
        it = paths.erase(it);
}

// Replays the layers' changes up to `last`: what is there then, and which layers hold each path.
struct Replay {
    PathMap present;
    PathMap base; // after layer 0
    QHash<QByteArray, QVector<int>> holders;

    Replay(const ImageAnalysis &a, int last)
    {
        for (int k = 0; k <= last && k < a.layers.size(); ++k) {
            for (const LayerChange &c : a.layers[k].changes) {
                QVector<int> &h = holders[c.path];
                if (h.isEmpty() || h.last() != k)
                    h.push_back(k);
                if (c.kind == 'D')
                    removeTree(present, c.path);
                else
                    present[c.path] = {c.sizeBytes, c.kind};
            }
            if (k == 0)
                base = present;
        }
    }
};

// dive's aggregated view: the paths layers 1..last touched, marked by how the tree at `last`
// differs from layer 0's.
QVector<AnalysisTree::Row> aggregateRows(const ImageAnalysis &a, const Replay &r, int last, QSet<QByteArray> &shown)
{
    std::map<QByteArray, qint64> touched; // path → what its last removal deleted
    for (int k = 1; k <= last; ++k) {
        for (const LayerChange &c : a.layers[k].changes)
            touched[c.path] = c.kind == 'D' ? c.sizeBytes : touched[c.path];
    }
    QVector<AnalysisTree::Row> rows;
    for (const auto &[path, deleted] : touched) {
        const auto now = r.present.find(path);
        const bool inBase = r.base.count(path) > 0;
        if (now == r.present.end() && !inBase)
            continue; // added and removed again above layer 0: in neither tree
        const char mark = now == r.present.end() ? 'D' : inBase ? 'M' : 'A';
        rows.push_back({path, mark == 'D' ? deleted : now->second.size, mark, r.holders.value(path)});
        shown.insert(path);
    }
    return rows;
}

} // namespace

std::shared_ptr<const AnalysisTree> AnalysisTree::build(const ImageAnalysis &a, const View &view)
{
    auto tree = std::make_shared<AnalysisTree>();
    tree->m_nodes.push_back(Node {{}, QByteArrayLiteral("/"), 0, 0, false, -1, 0, {}, {}});
    const int last = std::clamp(view.layer, 0, int(a.layers.size()) - 1);
    if (last < 0)
        return tree;
    const Replay replay(a, last);
    QSet<QByteArray> shown;
    QVector<Row> rows;
    if (view.aggregate && last > 0) {
        rows = aggregateRows(a, replay, last, shown);
    } else {
        for (const LayerChange &c : a.layers[last].changes) {
            rows.push_back({c.path, c.sizeBytes, c.kind, replay.holders.value(c.path)});
            shown.insert(c.path);
        }
    }
    if (!view.changesOnly) {
        for (const auto &[path, p] : replay.present) {
            if (!shown.contains(path))
                rows.push_back({path, p.size, 0, replay.holders.value(path)});
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row &x, const Row &y) { return x.path < y.path; });
    for (const Row &row : std::as_const(rows))
        tree->add(row);
    tree->sumSizes(0);
    tree->m_index.clear();
    return tree;
}

std::shared_ptr<const AnalysisTree> AnalysisTree::merged(const ImageAnalysis &a, bool userOnly)
{
    auto tree = std::make_shared<AnalysisTree>();
    tree->m_nodes.push_back(Node {{}, QByteArrayLiteral("/"), 0, 0, false, -1, 0, {}, {}});
    if (a.layers.isEmpty())
        return tree;
    const Replay replay(a, int(a.layers.size()) - 1);
    for (const auto &[path, p] : replay.present) {
        const QVector<int> holders = replay.holders.value(path);
        if (!userOnly || (!holders.isEmpty() && holders.last() > 0))
            tree->add({path, p.size, 0, holders});
    }
    tree->sumSizes(0);
    tree->m_index.clear();
    return tree;
}

QVector<QByteArray> AnalysisTree::leafPaths() const
{
    QVector<QByteArray> out;
    for (const Node &n : m_nodes) {
        if (n.leaf)
            out.push_back(n.path);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The node of `path` ("/a/b"), made with its parents when new.
int AnalysisTree::dirOf(const QByteArray &path)
{
    if (path.isEmpty() || path == "/")
        return 0;
    if (const auto it = m_index.constFind(path); it != m_index.constEnd())
        return *it;
    const int cut = int(path.lastIndexOf('/'));
    const int parent = dirOf(cut <= 0 ? QByteArrayLiteral("/") : path.left(cut));
    const QByteArray name = path.mid(cut + 1);
    const int id = int(m_nodes.size());
    Node n;
    n.name = name;
    n.path = path;
    n.parent = parent;
    n.row = int(m_nodes[parent].children.size());
    m_nodes.push_back(n);
    m_nodes[parent].children.push_back(id);
    m_index.insert(path, id);
    return id;
}

void AnalysisTree::add(const Row &row)
{
    // A path removed as a directory and made again keeps its node: the mark goes on it.
    const int id = dirOf(row.path);
    Node &n = m_nodes[id];
    n.leaf = n.children.isEmpty();
    n.size = row.size;
    n.mark = row.mark;
    n.layers = row.layers;
}

qint64 AnalysisTree::sumSizes(int node)
{
    Node &n = m_nodes[node];
    if (n.children.isEmpty())
        return n.mark == 'D' ? 0 : n.size;
    n.leaf = false;
    qint64 sum = 0;
    for (int c : QVector<int>(n.children))
        sum += sumSizes(c);
    m_nodes[node].size = sum;
    return m_nodes[node].mark == 'D' ? 0 : sum;
}

} // namespace strata
