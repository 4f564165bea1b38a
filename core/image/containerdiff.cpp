// SPDX-License-Identifier: GPL-2.0-or-later
#include "containerdiff.h"

#include "core/image/imagestore.h"
#include "core/merge/mergedtree.h"
#include "core/util/scancontrol.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <sys/stat.h>
#include <sys/xattr.h>

namespace strata
{

namespace
{

struct EntryStat {
    bool ok = false;
    struct stat st {
    };
    QByteArray capability; // security.capability, compared by Docker too
};

EntryStat entryStat(const QByteArray &path)
{
    EntryStat s;
    s.ok = ::lstat(path.constData(), &s.st) == 0;
    if (!s.ok)
        return s;
    char buf[256];
    const ssize_t n = ::lgetxattr(path.constData(), "security.capability", buf, sizeof buf);
    if (n > 0)
        s.capability = QByteArray(buf, n);
    return s;
}

// pkg/archive statDifferent (Linux): mode, owner and rdev always; size and mtime only for
// what is not a directory. Docker tests "mode & S_IFDIR == S_IFDIR" on the old entry, which
// also holds for block devices and sockets; kept as is, since Docker's answer is the reference.
// Times are equal when the seconds match and the nanoseconds match or either is 0 (tar
// keeps no nanoseconds).
bool statDifferent(const struct stat &o, const struct stat &n)
{
    if (o.st_mode != n.st_mode || o.st_uid != n.st_uid || o.st_gid != n.st_gid || o.st_rdev != n.st_rdev)
        return true;
    if ((o.st_mode & S_IFDIR) != S_IFDIR) {
        const bool sameTime = o.st_mtim.tv_sec == n.st_mtim.tv_sec
            && (o.st_mtim.tv_nsec == n.st_mtim.tv_nsec || o.st_mtim.tv_nsec == 0 || n.st_mtim.tv_nsec == 0);
        if (!sameTime || o.st_size != n.st_size)
            return true;
    }
    return false;
}

class Differ final
{
public:
    Differ(const MergedTree &now, const MergedTree &before, ScanControl *control, ContainerDiff::Output &out)
        : m_new(now), m_old(before), m_control(control), m_out(out)
    {
    }

    // ChangesDirs / FileInfo.addChanges, on the two merged views.
    bool walk(NodeId n, std::optional<NodeId> o, bool added, bool isRoot)
    {
        if (m_control && (++m_visited & 1023) == 0 && m_control->isCancelled())
            return false;
        const MergedNode &nn = m_new.node(n);
        if (nn.has(MergedNode::HasError))
            m_out.warnings << QStringLiteral("%1: %2").arg(QString::fromUtf8(m_new.path(n)), m_new.error(n));
        const qsizetype before = m_out.changes.size();
        if (!o) {
            add(n, ContainerChange::Kind::Added);
            added = true;
        }
        if (nn.isDir()) {
            const bool oldIsDir = o && m_old.node(*o).isDir();
            for (std::uint32_t i = 0; i < nn.childCount; ++i) {
                const NodeId c = nn.firstChild + i;
                if (!m_new.node(c).isVisible())
                    continue;
                std::optional<NodeId> oc;
                if (oldIsDir) {
                    oc = m_old.child(*o, m_new.name(c));
                    if (oc && !m_old.node(*oc).isVisible())
                        oc.reset();
                }
                bool childAdded = false;
                if (oc) {
                    // The same entry on disk in both views: nothing below can differ either.
                    if (sameProvider(c, *oc))
                        continue;
                    if (different(c, *oc)) {
                        add(c, ContainerChange::Kind::Changed);
                        childAdded = true;
                    }
                }
                if (!walk(c, oc, childAdded, false))
                    return false;
            }
            if (oldIsDir) {
                const MergedNode &on = m_old.node(*o);
                for (std::uint32_t i = 0; i < on.childCount; ++i) {
                    const NodeId c = on.firstChild + i;
                    if (!m_old.node(c).isVisible())
                        continue;
                    const auto nc = m_new.child(n, m_old.name(c));
                    if (!nc || !m_new.node(*nc).isVisible())
                        m_out.changes.push_back(ContainerChange {m_old.path(c), ContainerChange::Kind::Deleted});
                }
            }
        }
        // A directory with changes inside is reported as changed itself, so that permissions
        // can be restored (pkg/archive: "If there were changes inside this directory...").
        if (m_out.changes.size() > before && nn.isDir() && !added && !isRoot)
            add(n, ContainerChange::Kind::Changed);
        return true;
    }

private:
    void add(NodeId n, ContainerChange::Kind kind) { m_out.changes.push_back(ContainerChange {m_new.path(n), kind}); }

    // The new view is the container's layer over the old view's layers, so layer i of the
    // old view is layer i + 1 of the new one.
    bool sameProvider(NodeId n, NodeId o) const
    {
        return m_new.node(n).layer == m_old.node(o).layer + 1 && m_new.realPath(n) == m_old.realPath(o);
    }

    bool different(NodeId n, NodeId o)
    {
        const EntryStat sn = entryStat(m_new.diskPath(n));
        const EntryStat so = entryStat(m_old.diskPath(o));
        if (sn.ok && so.ok)
            return statDifferent(so.st, sn.st) || sn.capability != so.capability;
        m_out.warnings << QStringLiteral("%1: cannot stat (%2): compared with the scan's data")
                              .arg(QString::fromUtf8(m_new.path(n)),
                                  QString::fromUtf8(sn.ok ? m_old.diskPath(o) : m_new.diskPath(n)));
        const MergedNode &a = m_new.node(n);
        const MergedNode &b = m_old.node(o);
        return a.mode != b.mode || a.uid != b.uid || a.gid != b.gid
            || (!b.isDir() && (a.size != b.size || a.mtime != b.mtime));
    }

    const MergedTree &m_new;
    const MergedTree &m_old;
    ScanControl *m_control;
    ContainerDiff::Output &m_out;
    std::uint64_t m_visited = 0;
};

} // namespace

Result<ContainerDiff::Output> ContainerDiff::compute(
    const ImageStore &store, const StoreContainer &container, ScanControl *control)
{
    const qsizetype index = store.indexOf(container);
    if (index < 0)
        return Error {EINVAL, QStringLiteral("container %1 is not in %2").arg(container.displayName(), store.root())};
    return compute(store, index, control);
}

Result<ContainerDiff::Output> ContainerDiff::compute(const ImageStore &store, qsizetype index, ScanControl *control)
{
    const StoreContainer &container = store.containerAt(index);
    auto withUpper = store.containerMergeLayers(index, true);
    if (!withUpper)
        return withUpper.error();
    auto without = store.containerMergeLayers(index, false);
    if (!without)
        return without.error();
    const MergeOptions options = store.mergeOptions();
    auto now = MergedTree::build(*withUpper, options, control);
    if (!now)
        return Error {
            now.error().code, QStringLiteral("container %1: %2").arg(container.displayName(), now.error().message)};
    auto before = MergedTree::build(*without, options, control);
    if (!before)
        return Error {before.error().code,
            QStringLiteral("container %1: %2").arg(container.displayName(), before.error().message)};

    Output out;
    out.warnings << now->warnings();
    Differ differ(*now, *before, control, out);
    if (!differ.walk(MergedTree::root(), MergedTree::root(), false, true))
        return Error {ECANCELED, QStringLiteral("cancelled")};
    std::sort(out.changes.begin(), out.changes.end(), [](const ContainerChange &a, const ContainerChange &b) {
        return a.path < b.path;
    });
    out.warnings.removeDuplicates();
    return out;
}

} // namespace strata
