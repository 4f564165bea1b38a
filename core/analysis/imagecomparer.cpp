// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/imagecomparer.h"

#include "core/analysis/contenthasher.h"
#include "core/analysis/finaltree.h"
#include "core/image/imagestore.h"
#include "core/image/storeimage.h"
#include "core/image/storelayer.h"
#include "core/util/scancontrol.h"
#include "core/util/status.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace strata
{

namespace
{

using Entry = FinalTree::Entry;

QString nameOf(const ImageStore &store, qsizetype image)
{
    const StoreImage &i = store.imageAt(image);
    return i.tags.isEmpty() ? i.id : i.tags.first();
}

// What differs between two entries of one path, content aside.
QStringList differences(const Entry &a, const Entry &b)
{
    QStringList what;
    if (a.type != b.type) {
        what << QStringLiteral("type");
        return what;
    }
    // A directory that only a child implies says nothing of its mode or owner.
    const bool metadata = !a.implicit && !b.implicit;
    if (metadata && a.mode != b.mode)
        what << QStringLiteral("mode");
    if (metadata && (a.uid != b.uid || a.gid != b.gid))
        what << QStringLiteral("owner");
    if (a.type == EntryType::File && a.size != b.size)
        what << QStringLiteral("size");
    if (a.type == EntryType::Symlink && a.linkTarget != b.linkTarget)
        what << QStringLiteral("target");
    if ((a.type == EntryType::CharDevice || a.type == EntryType::BlockDevice) && a.rdev != b.rdev)
        what << QStringLiteral("device");
    return what;
}

// The files whose bytes must be read: same size, provided by layers of other content.
struct Pending {
    QByteArray path;
    qsizetype change = -1; // into the changes, when some metadata differs already
};

class Comparison
{
public:
    Comparison(const ImageStore &a, qsizetype ia, const ImageStore &b, qsizetype ib, ScanControl *control)
        : m_a(a), m_ia(ia), m_b(b), m_ib(ib), m_control(control)
    {
    }

    Result<ImageComparison> run()
    {
        m_out.imageA = nameOf(m_a, m_ia);
        m_out.imageB = nameOf(m_b, m_ib);
        layers();
        auto ta = FinalTree::read(m_a, m_ia, m_control);
        if (!ta)
            return ta.error();
        auto tb = FinalTree::read(m_b, m_ib, m_control);
        if (!tb)
            return tb.error();
        m_out.warnings << ta->warnings() << tb->warnings();
        walk(ta->entries(), tb->entries());
        if (Status s = hashPending(ta->entries(), tb->entries()); !s)
            return s.error();
        std::sort(m_out.changes.begin(), m_out.changes.end(), [](const ImageChange &x, const ImageChange &y) {
            return x.path < y.path;
        });
        return m_out;
    }

private:
    void layers()
    {
        const StoreImage &a = m_a.imageAt(m_ia);
        const StoreImage &b = m_b.imageAt(m_ib);
        m_out.layersA = int(m_a.imageLayerCount(m_ia));
        m_out.layersB = int(m_b.imageLayerCount(m_ib));
        // Once, not per path: which layer a path comes from is compared by its diff ID.
        for (int k = 0; k < m_out.layersA; ++k)
            m_diffIdsA << m_a.imageLayerAt(m_ia, k).diffId;
        for (int k = 0; k < m_out.layersB; ++k)
            m_diffIdsB << m_b.imageLayerAt(m_ib, k).diffId;
        const QSet<QString> inB(b.diffIds.begin(), b.diffIds.end());
        QSet<QString> seen;
        for (const QString &d : a.diffIds) {
            if (inB.contains(d) && !seen.contains(d))
                m_out.sharedLayers << d;
            seen.insert(d);
        }
        while (m_out.commonBase < a.diffIds.size() && m_out.commonBase < b.diffIds.size()
            && a.diffIds.at(m_out.commonBase) == b.diffIds.at(m_out.commonBase))
            ++m_out.commonBase;
    }

    static QByteArray shown(const QByteArray &path) { return '/' + path; }

    void walk(const FinalTree::Entries &a, const FinalTree::Entries &b)
    {
        auto ia = a.begin();
        auto ib = b.begin();
        while (ia != a.end() || ib != b.end()) {
            const bool onlyA = ib == b.end() || (ia != a.end() && ia->first < ib->first);
            const bool onlyB = !onlyA && (ia == a.end() || ib->first < ia->first);
            if (onlyA) {
                // Below a removed directory only the directory is listed, as `docker diff` does.
                const qsizetype slash = ia->first.lastIndexOf('/');
                if (slash < 0 || b.count(ia->first.left(slash)) > 0)
                    m_out.changes.push_back({shown(ia->first), 'D', ia->second.size, -1, {}});
                ++ia;
            } else if (onlyB) {
                m_out.changes.push_back({shown(ib->first), 'A', -1, ib->second.size, {}});
                ++ib;
            } else {
                both(ia->first, ia->second, ib->second);
                ++ia;
                ++ib;
            }
        }
    }

    void both(const QByteArray &path, const Entry &a, const Entry &b)
    {
        const QStringList what = differences(a, b);
        qsizetype change = -1;
        if (!what.isEmpty()) {
            change = m_out.changes.size();
            m_out.changes.push_back({shown(path), 'C', a.size, b.size, what});
        }
        // Same bytes when one layer (by diff ID) provides both: nothing to read.
        const bool sameLayer = m_diffIdsA.value(a.layer) == m_diffIdsB.value(b.layer) && a.member == b.member;
        if (a.type == EntryType::File && b.type == EntryType::File && a.size == b.size && a.size > 0 && !sameLayer)
            m_pending.push_back({path, change});
    }

    // The hashes of the pending files of one image, layer by layer.
    Result<QHash<QByteArray, QByteArray>> hashes(
        const ImageStore &store, qsizetype image, const FinalTree::Entries &entries)
    {
        std::map<int, QSet<QByteArray>> byLayer;
        for (const Pending &p : m_pending) {
            const Entry &e = entries.at(p.path);
            byLayer[e.layer].insert(e.member);
        }
        QHash<QByteArray, QByteArray> out; // "layer:member" → hash
        for (const auto &[layer, members] : byLayer) {
            auto h = ContentHasher::hash(store.imageLayerAt(image, layer), members, m_control);
            if (!h)
                return h.error();
            for (auto it = h->cbegin(); it != h->cend(); ++it)
                out.insert(QByteArray::number(layer) + ':' + it.key(), it.value());
        }
        return out;
    }

    Status hashPending(const FinalTree::Entries &a, const FinalTree::Entries &b)
    {
        if (m_pending.isEmpty())
            return {};
        auto ha = hashes(m_a, m_ia, a);
        if (!ha)
            return ha.error();
        auto hb = hashes(m_b, m_ib, b);
        if (!hb)
            return hb.error();
        m_out.hashedFiles = m_pending.size();
        for (const Pending &p : std::as_const(m_pending)) {
            const Entry &ea = a.at(p.path);
            const Entry &eb = b.at(p.path);
            const QByteArray x = ha->value(QByteArray::number(ea.layer) + ':' + ea.member);
            const QByteArray y = hb->value(QByteArray::number(eb.layer) + ':' + eb.member);
            if (x.isEmpty() || y.isEmpty())
                m_out.warnings
                    << QStringLiteral("%1: its content could not be read").arg(QString::fromUtf8(shown(p.path)));
            if (x == y)
                continue;
            if (p.change >= 0) {
                m_out.changes[p.change].what << QStringLiteral("content");
                continue;
            }
            m_out.changes.push_back({shown(p.path), 'C', ea.size, eb.size, {QStringLiteral("content")}});
        }
        return {};
    }

    const ImageStore &m_a;
    qsizetype m_ia;
    const ImageStore &m_b;
    qsizetype m_ib;
    ScanControl *m_control;
    ImageComparison m_out;
    QVector<Pending> m_pending;
    QStringList m_diffIdsA; // by layer index
    QStringList m_diffIdsB;
};

} // namespace

Result<ImageComparison> ImageComparer::compare(
    const ImageStore &storeA, qsizetype imageA, const ImageStore &storeB, qsizetype imageB, ScanControl *control)
{
    if (imageA < 0 || imageA >= storeA.imageCount() || imageB < 0 || imageB >= storeB.imageCount())
        return Error {EINVAL, QStringLiteral("no such image")};
    return Comparison(storeA, imageA, storeB, imageB, control).run();
}

} // namespace strata
