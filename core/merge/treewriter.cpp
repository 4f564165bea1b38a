// SPDX-License-Identifier: GPL-2.0-or-later
#include "treewriter.h"

#include "core/util/jsonwriter.h"
#include "core/util/parallel.h"

#include <QByteArray>
#include <QFile>

#include <algorithm>
#include <sys/stat.h>

namespace strata
{

namespace
{

std::string utf8(const QString &s)
{
    const QByteArray b = s.toUtf8();
    return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

std::string_view view(const QByteArray &b)
{
    return std::string_view(b.constData(), static_cast<std::size_t>(b.size()));
}

bool flush(QIODevice &out, std::string &buf)
{
    if (buf.empty())
        return true;
    const qint64 n = out.write(buf.data(), static_cast<qint64>(buf.size()));
    buf.clear();
    return n >= 0;
}

} // namespace

TreeWriter::TreeWriter(const MergedTree &tree, Options options) : m_tree(tree), m_options(std::move(options))
{
    for (int i = 0; i < m_tree.layers().size(); ++i) {
        const MergeLayer &l = m_tree.layers().at(i);
        m_layerNames.push_back(utf8(l.name));
        m_layerWidth = std::max<int>(m_layerWidth, static_cast<int>(m_layerNames.back().size()));
        // The same few bytes go into every entry: render them once.
        std::string j;
        const bool image = static_cast<std::size_t>(i) < m_options.imageLayers.size();
        JsonWriter w = JsonWriter::fragment(j);
        w.field("layer", l.path).field("layer_name", l.name);
        w.field("layer_index", image ? m_options.imageLayers[static_cast<std::size_t>(i)] : i);
        if (image)
            w.field("diff_id", m_options.diffIds.value(i));
        m_layerJson.push_back(std::move(j));
    }
    for (int t = 0; t <= static_cast<int>(EntryType::Whiteout); ++t)
        appendJsonString(m_typeJson.emplace_back(), utf8(entryTypeName(static_cast<EntryType>(t))));
}

void TreeWriter::headerText(std::string &buf) const
{
    buf += "overlay ";
    buf += utf8(m_options.overlayName);
    buf += "; layers, top first:";
    for (int i = 0; i < m_tree.layers().size(); ++i) {
        const MergeLayer &l = m_tree.layers().at(i);
        buf += "  ";
        buf += std::to_string(i);
        buf += '=';
        buf += utf8(l.name);
        buf += " (";
        buf += utf8(roleName(l.role));
        if (!l.viaOverlay.isEmpty()) {
            buf += " via ";
            buf += utf8(l.viaOverlay);
        }
        buf += ')';
    }
    buf += '\n';
}

void TreeWriter::headerJson(JsonWriter &w) const
{
    w.beginObject().field("overlay", m_options.overlayName).path("workspace", m_options.workspaceFile);
    w.key("layers").beginArray();
    for (int i = 0; i < m_tree.layers().size(); ++i) {
        const MergeLayer &l = m_tree.layers().at(i);
        w.beginObject().field("index", i).path("path", l.path).field("name", l.name).field("role", roleName(l.role));
        if (!l.viaOverlay.isEmpty())
            w.field("via", l.viaOverlay);
        if (!l.linkTarget.isEmpty())
            w.path("link_target", l.linkTarget);
        w.endObject();
    }
    w.endArray().field("warnings", m_tree.warnings());
    w.key("entries").beginArray(JsonWriter::Layout::Lines);
}

void TreeWriter::entryJson(JsonWriter &w, NodeId id, std::string_view path) const
{
    const MergedNode &n = m_tree.node(id);
    // "%04o" by hand: printf is a tenth of the time spent here.
    const char mode[4] = {char('0' + ((n.mode >> 9) & 7)),
        char('0' + ((n.mode >> 6) & 7)),
        char('0' + ((n.mode >> 3) & 7)),
        char('0' + (n.mode & 7))};
    w.beginObject()
        .path("path", path)
        .key("type")
        .rendered(m_typeJson[static_cast<std::size_t>(n.type)])
        .field("size", static_cast<long long>(n.size))
        .field("mode", std::string_view(mode, sizeof mode))
        .field("uid", n.uid)
        .field("gid", n.gid)
        .field("mtime", static_cast<long long>(n.mtime))
        .members(m_layerJson[n.layer]);
    const auto shadows = m_tree.shadows(id);
    w.key("shadows").beginArray();
    for (const MergedTree::Shadow &s : shadows) {
        if (s.reason == MergedTree::ShadowReason::Merged)
            continue;
        w.beginObject()
            .members(m_layerJson[s.layer])
            .key("as")
            .rendered(m_typeJson[static_cast<std::size_t>(s.type)])
            .field("reason", MergedTree::reasonName(s.reason))
            .endObject();
    }
    w.endArray();
    if (n.isDir()) {
        w.key("merged").beginArray();
        for (const MergedTree::Shadow &s : shadows) {
            if (s.reason == MergedTree::ShadowReason::Merged)
                w.beginObject().members(m_layerJson[s.layer]).endObject();
        }
        w.endArray();
    }
    w.field("whiteout", n.has(MergedNode::Whiteout));
    if (n.has(MergedNode::XWhiteout))
        w.field("whiteout_kind", "xattr");
    w.field("opaque", n.has(MergedNode::Opaque));
    w.key("redirect");
    if (n.has(MergedNode::Redirect))
        w.value(view(m_tree.redirect(id)));
    else
        w.null();
    if (n.has(MergedNode::Metacopy))
        w.field("metacopy", true);
    if (n.type == EntryType::Symlink)
        w.field("target", view(m_tree.symlinkTarget(id)));
    if (n.has(MergedNode::HasError))
        w.field("error", m_tree.error(id));
    w.endObject();
}

void TreeWriter::entryText(std::string &buf, NodeId id, std::string_view path) const
{
    const MergedNode &n = m_tree.node(id);
    char mode[16];
    modeChars(mode, n.type, n.mode);
    buf.append(mode, 10);
    char tmp[32];
    const int len = std::snprintf(tmp, sizeof tmp, " %12lld  ", static_cast<long long>(n.size));
    buf.append(tmp, static_cast<std::size_t>(len));
    const std::string &layer = m_layerNames[n.layer];
    buf += layer;
    if (static_cast<int>(layer.size()) < m_layerWidth)
        buf.append(static_cast<std::size_t>(m_layerWidth) - layer.size(), ' ');
    buf += "  ";
    bool plain = isValidUtf8(path);
    for (unsigned char c : path)
        plain = plain && c >= 0x20 && c != 0x7f;
    if (!plain) {
        for (unsigned char c : path) {
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                buf += static_cast<char>(c);
            } else {
                char h[8];
                std::snprintf(h, sizeof h, "\\x%02x", c);
                buf += h;
            }
        }
    } else {
        buf += path;
    }
    if (n.type == EntryType::Symlink) {
        buf += " -> ";
        const QByteArray t = m_tree.symlinkTarget(id);
        buf.append(t.constData(), static_cast<std::size_t>(t.size()));
    }
    const auto shadows = m_tree.shadows(id);
    const bool special = n.has(MergedNode::Whiteout) || n.has(MergedNode::Opaque) || n.has(MergedNode::Redirect)
        || n.has(MergedNode::Metacopy) || n.has(MergedNode::HasError);
    if (!special && shadows.empty()) {
        buf += '\n';
        return;
    }
    std::string notes;
    auto note = [&notes](const std::string &s) {
        notes += notes.empty() ? "  [" : "; ";
        notes += s;
    };
    if (n.has(MergedNode::Whiteout))
        note(n.has(MergedNode::XWhiteout) ? "deleted: xattr whiteout" : "deleted: whiteout");
    if (n.has(MergedNode::Opaque))
        note("opaque");
    if (n.has(MergedNode::Redirect))
        note("redirect -> " + m_tree.redirect(id).toStdString());
    if (n.has(MergedNode::Metacopy))
        note("metacopy");
    std::string merged;
    std::string hides;
    for (const MergedTree::Shadow &s : shadows) {
        std::string &target = s.reason == MergedTree::ShadowReason::Merged ? merged : hides;
        if (!target.empty())
            target += ", ";
        target += m_layerNames[s.layer];
        if (s.reason != MergedTree::ShadowReason::Merged && s.type != n.type)
            target += " (" + utf8(entryTypeName(s.type)) + ")";
        if (s.reason == MergedTree::ShadowReason::DataSource)
            target += " (data)";
    }
    if (!merged.empty())
        note("merged with " + merged);
    if (!hides.empty())
        note((n.has(MergedNode::Whiteout) || n.has(MergedNode::Opaque) ? "hides " : "shadows ") + hides);
    if (n.has(MergedNode::HasError))
        note("error: " + utf8(m_tree.error(id)));
    buf += notes;
    buf += "]\n";
}

void TreeWriter::formatRange(std::string &buf,
    const std::vector<NodeId> &order,
    std::size_t begin,
    std::size_t end,
    const JsonWriter &entries) const
{
    // Each chunk continues the entries array where the chunk before it ends.
    JsonWriter w = entries.continued(buf, begin > 0);
    std::vector<NodeId> chain;
    std::string path;
    for (std::size_t i = begin; i < end; ++i) {
        const NodeId id = order[i];
        path.clear();
        if (id != MergedTree::root()) {
            chain.clear();
            for (NodeId n = id; n != MergedTree::root() && n != InvalidNode; n = m_tree.node(n).parent)
                chain.push_back(n);
            for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
                path += '/';
                path += m_tree.name(*it);
            }
        }
        const std::string_view p = path.empty() ? std::string_view("/") : std::string_view(path);
        if (m_options.json)
            entryJson(w, id, p);
        else
            entryText(buf, id, p);
    }
}

bool TreeWriter::write(QIODevice &out, NodeId start)
{
    // Depth-first order first (cheap), then the text itself, which is the costly part, in
    // chunks formatted on several threads and written in order.
    std::vector<NodeId> order;
    order.push_back(start);
    struct Frame {
        NodeId dir;
        std::uint32_t next;
    };
    std::vector<Frame> stack;
    if (m_tree.node(start).isDir())
        stack.push_back(Frame {start, 0});
    while (!stack.empty()) {
        Frame &f = stack.back();
        const MergedNode &dir = m_tree.node(f.dir);
        if (f.next >= dir.childCount) {
            stack.pop_back();
            continue;
        }
        const NodeId id = dir.firstChild + f.next++;
        const MergedNode &n = m_tree.node(id);
        if (!m_options.includeWhiteouts && !n.isVisible())
            continue;
        order.push_back(id);
        if (n.isDir() && n.childCount > 0)
            stack.push_back(Frame {id, 0});
    }

    std::string head;
    JsonWriter entries(head);
    if (m_options.json)
        headerJson(entries);
    else
        headerText(head);
    bool ok = flush(out, head);

    // Chunks are formatted a window at a time on every core, then written in order: the
    // window keeps memory bounded whatever the tree's size.
    constexpr std::size_t ChunkEntries = 4096;
    const std::size_t chunks = (order.size() + ChunkEntries - 1) / ChunkEntries;
    const unsigned workers = parallelWorkers();
    std::vector<std::string> slots(std::size_t(workers) * 2);
    for (std::size_t base = 0; base < chunks; base += slots.size()) {
        const std::size_t count = std::min(slots.size(), chunks - base);
        parallelFor(count, workers, [&](std::size_t i, unsigned) {
            const std::size_t begin = (base + i) * ChunkEntries;
            formatRange(slots[i], order, begin, std::min(order.size(), begin + ChunkEntries), entries);
        });
        for (std::size_t i = 0; i < count; ++i)
            ok = flush(out, slots[i]) && ok;
    }
    if (m_options.json) {
        std::string tail;
        entries.continued(tail, !order.empty()).endArray().endObject();
        tail += '\n';
        ok = flush(out, tail) && ok;
    }
    return ok;
}

} // namespace strata
