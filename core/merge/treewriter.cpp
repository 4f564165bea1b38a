// SPDX-License-Identifier: GPL-2.0-or-later
#include "treewriter.h"

#include "core/util/jsonstring.h"
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
        // The same few bytes go into every entry: escape them once.
        std::string j = "\"layer\":";
        appendJsonString(j, utf8(l.path));
        j += ",\"layer_name\":";
        appendJsonString(j, m_layerNames.back());
        j += ",\"layer_index\":";
        j += std::to_string(i);
        m_layerJson.push_back(std::move(j));
    }
    for (int t = 0; t <= static_cast<int>(EntryType::Whiteout); ++t)
        m_typeNames.push_back(utf8(entryTypeName(static_cast<EntryType>(t))));
}

void TreeWriter::layerJson(std::string &buf, std::uint16_t layer) const
{
    buf += m_layerJson[layer];
}

void TreeWriter::header(std::string &buf) const
{
    if (!m_options.json) {
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
        return;
    }
    buf += "{\"overlay\":";
    appendJsonString(buf, utf8(m_options.overlayName));
    buf += ",\"workspace\":";
    appendJsonString(buf, utf8(m_options.workspaceFile));
    buf += ",\"layers\":[";
    for (int i = 0; i < m_tree.layers().size(); ++i) {
        const MergeLayer &l = m_tree.layers().at(i);
        if (i)
            buf += ',';
        buf += "{\"index\":";
        buf += std::to_string(i);
        buf += ",\"path\":";
        appendJsonString(buf, utf8(l.path));
        buf += ",\"name\":";
        appendJsonString(buf, utf8(l.name));
        buf += ",\"role\":";
        appendJsonString(buf, utf8(roleName(l.role)));
        if (!l.viaOverlay.isEmpty()) {
            buf += ",\"via\":";
            appendJsonString(buf, utf8(l.viaOverlay));
        }
        if (!l.linkTarget.isEmpty()) {
            buf += ",\"link_target\":";
            appendJsonString(buf, utf8(l.linkTarget));
        }
        buf += '}';
    }
    buf += "],\"warnings\":[";
    for (int i = 0; i < m_tree.warnings().size(); ++i) {
        if (i)
            buf += ',';
        appendJsonString(buf, utf8(m_tree.warnings().at(i)));
    }
    buf += "],\"entries\":[\n";
}

void TreeWriter::entryJson(std::string &buf, NodeId id, std::string_view path, bool first) const
{
    const MergedNode &n = m_tree.node(id);
    if (!first)
        buf += ",\n";
    buf += "{\"path\":";
    appendJsonString(buf, path);
    if (!isValidUtf8(path)) {
        buf += ",\"path_base64\":\"";
        buf += base64(path);
        buf += '"';
    }
    buf += ",\"type\":\"";
    buf += m_typeNames[static_cast<std::size_t>(n.type)];
    char num[160];
    const int len = std::snprintf(num,
        sizeof num,
        "\",\"size\":%lld,\"mode\":\"%04o\",\"uid\":%u,\"gid\":%u,\"mtime\":%lld,",
        static_cast<long long>(n.size),
        n.mode & 07777,
        n.uid,
        n.gid,
        static_cast<long long>(n.mtime));
    buf.append(num, static_cast<std::size_t>(len));
    layerJson(buf, n.layer);
    buf += ",\"shadows\":[";
    bool firstShadow = true;
    std::string merged;
    std::string dataFrom;
    for (const MergedTree::Shadow &s : m_tree.shadows(id)) {
        if (s.reason == MergedTree::ShadowReason::Merged) {
            if (!merged.empty())
                merged += ',';
            merged += '{';
            layerJson(merged, s.layer);
            merged += '}';
            continue;
        }
        if (!firstShadow)
            buf += ',';
        firstShadow = false;
        buf += '{';
        layerJson(buf, s.layer);
        buf += ",\"as\":\"";
        buf += m_typeNames[static_cast<std::size_t>(s.type)];
        buf += "\",\"reason\":\"";
        buf += MergedTree::reasonName(s.reason);
        buf += "\"}";
    }
    buf += ']';
    if (n.isDir()) {
        buf += ",\"merged\":[";
        buf += merged;
        buf += ']';
    }
    buf += ",\"whiteout\":";
    buf += n.has(MergedNode::Whiteout) ? "true" : "false";
    if (n.has(MergedNode::XWhiteout))
        buf += ",\"whiteout_kind\":\"xattr\"";
    buf += ",\"opaque\":";
    buf += n.has(MergedNode::Opaque) ? "true" : "false";
    buf += ",\"redirect\":";
    if (n.has(MergedNode::Redirect)) {
        const QByteArray r = m_tree.redirect(id);
        appendJsonString(buf, std::string_view(r.constData(), static_cast<std::size_t>(r.size())));
    } else {
        buf += "null";
    }
    if (n.has(MergedNode::Metacopy))
        buf += ",\"metacopy\":true";
    if (n.type == EntryType::Symlink) {
        const QByteArray t = m_tree.symlinkTarget(id);
        buf += ",\"target\":";
        appendJsonString(buf, std::string_view(t.constData(), static_cast<std::size_t>(t.size())));
    }
    if (n.has(MergedNode::HasError)) {
        buf += ",\"error\":";
        appendJsonString(buf, utf8(m_tree.error(id)));
    }
    buf += '}';
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

void TreeWriter::formatRange(
    std::string &buf, const std::vector<NodeId> &order, std::size_t begin, std::size_t end) const
{
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
            entryJson(buf, id, p, i == 0);
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
    header(head);
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
            formatRange(slots[i], order, begin, std::min(order.size(), begin + ChunkEntries));
        });
        for (std::size_t i = 0; i < count; ++i)
            ok = flush(out, slots[i]) && ok;
    }
    if (m_options.json) {
        std::string tail = "\n]}\n";
        ok = flush(out, tail) && ok;
    }
    return ok;
}

} // namespace strata
