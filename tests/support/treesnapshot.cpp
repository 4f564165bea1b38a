// SPDX-License-Identifier: GPL-2.0-or-later
#include "treesnapshot.h"

#include "tests/support/dirnames.h"

#include <QCryptographicHash>
#include <QFile>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::test
{

namespace
{
QByteArray hashFile(const QByteArray &path)
{
    // POSIX calls: names are bytes, and need not be valid UTF-8.
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return QByteArrayLiteral("<unreadable>");
    QCryptographicHash h(QCryptographicHash::Sha1);
    char buf[65536];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        h.addData(QByteArrayView(buf, n));
    ::close(fd);
    return h.result().toHex();
}

// Where a file's data is read: below a metacopy file, in the lower file that holds it.
QByteArray dataPath(const MergedTree &tree, NodeId id)
{
    if (tree.node(id).has(MergedNode::Metacopy)) {
        for (const MergedTree::Shadow &s : tree.shadows(id)) {
            if (s.reason != MergedTree::ShadowReason::DataSource)
                continue;
            // In a data-only layer the data is where the absolute redirect leads.
            const MergeLayer &layer = tree.layers().at(s.layer);
            return QFile::encodeName(layer.path) + (layer.dataOnly ? tree.redirect(id) : tree.realPath(id));
        }
        if (!tree.redirect(id).isEmpty())
            return {}; // led into the data-only layers, which lack it: unreadable, as the kernel's
    }
    return tree.diskPath(id);
}

QByteArray readLinkPath(const QByteArray &path)
{
    char buf[4096];
    const ssize_t n = ::readlink(path.constData(), buf, sizeof buf);
    return n < 0 ? QByteArray() : QByteArray(buf, static_cast<qsizetype>(n));
}
} // namespace

TreeSnapshot TreeSnapshot::fromDirectory(const QString &root)
{
    TreeSnapshot s;
    const QByteArray abs = QFile::encodeName(root);
    struct stat st {
    };
    if (::lstat(abs.constData(), &st) == 0) {
        Record r;
        r.type = entryTypeName(entryTypeFromMode(st.st_mode));
        r.mode = st.st_mode & 07777;
        r.uid = st.st_uid;
        r.gid = st.st_gid;
        s.m_records.insert(QByteArrayLiteral("/"), r);
    }
    s.walk(abs, QByteArray());
    return s;
}

void TreeSnapshot::walk(const QByteArray &abs, const QByteArray &rel)
{
    const auto listed = dirNames(abs);
    if (!listed) {
        m_errors << QStringLiteral("opendir %1: errno %2").arg(QFile::decodeName(abs)).arg(errno);
        return;
    }
    const QList<QByteArray> &names = *listed;
    for (const QByteArray &n : names) {
        const QByteArray childAbs = abs + '/' + n;
        const QByteArray childRel = rel + '/' + n;
        struct stat st {
        };
        if (::lstat(childAbs.constData(), &st) != 0) {
            if (errno == ENOENT)
                ++m_listedButMissing;
            else
                m_lookupErrors.insert(childRel, errno);
            continue;
        }
        Record r;
        const EntryType t = entryTypeFromMode(st.st_mode);
        r.type = entryTypeName(t);
        r.mode = st.st_mode & 07777;
        r.uid = st.st_uid;
        r.gid = st.st_gid;
        if (t != EntryType::Directory)
            r.size = st.st_size;
        if (t == EntryType::Symlink)
            r.target = readLinkPath(childAbs);
        if (t == EntryType::File)
            r.contentHash = hashFile(childAbs);
        m_records.insert(childRel, r);
        if (t == EntryType::Directory)
            walk(childAbs, childRel);
    }
}

TreeSnapshot TreeSnapshot::fromMergedTree(const MergedTree &tree)
{
    TreeSnapshot s;
    for (NodeId id = 0; id < tree.nodeCount(); ++id) {
        const MergedNode &n = tree.node(id);
        if (!n.isVisible())
            continue;
        // A child of a hidden node is never reached by lookup; the tree has none, but be sure.
        bool hidden = false;
        for (NodeId p = n.parent; p != InvalidNode; p = tree.node(p).parent)
            hidden = hidden || !tree.node(p).isVisible();
        if (hidden)
            continue;
        Record r;
        r.type = entryTypeName(n.type);
        r.mode = n.mode & 07777;
        r.uid = n.uid;
        r.gid = n.gid;
        if (!n.isDir())
            r.size = n.size;
        if (n.type == EntryType::Symlink)
            r.target = tree.symlinkTarget(id);
        if (n.type == EntryType::File)
            r.contentHash = hashFile(dataPath(tree, id));
        if (n.has(MergedNode::LowerConflict))
            s.m_conflicts.insert(tree.path(id));
        else if (n.has(MergedNode::HasError))
            s.m_errors << QStringLiteral("%1: %2").arg(QFile::decodeName(tree.path(id)), tree.error(id));
        s.m_records.insert(tree.path(id), r);
    }
    return s;
}

void TreeSnapshot::reconcileConflicts(TreeSnapshot &ours)
{
    for (auto it = m_lookupErrors.begin(); it != m_lookupErrors.end();) {
        if (it.value() != ESTALE || !ours.m_conflicts.contains(it.key())) {
            ++it;
            continue;
        }
        const QByteArray prefix = it.key() + '/';
        for (auto r = ours.m_records.begin(); r != ours.m_records.end();) {
            if (r.key() == it.key() || r.key().startsWith(prefix))
                r = ours.m_records.erase(r);
            else
                ++r;
        }
        it = m_lookupErrors.erase(it);
    }
}

QString TreeSnapshot::diff(const TreeSnapshot &engine) const
{
    QStringList out;
    auto describe = [](const Record &r) {
        return QStringLiteral("%1 %2 size=%3 uid=%4 gid=%5%6%7")
            .arg(r.type)
            .arg(r.mode, 4, 8, QLatin1Char('0'))
            .arg(r.size)
            .arg(r.uid)
            .arg(r.gid)
            .arg(r.target.isEmpty() ? QString() : QStringLiteral(" -> ") + QString::fromUtf8(r.target))
            .arg(r.contentHash.isEmpty() ? QString()
                                         : QStringLiteral(" sha1=") + QString::fromLatin1(r.contentHash.left(8)));
    };
    for (auto it = m_records.begin(); it != m_records.end(); ++it) {
        const auto other = engine.m_records.constFind(it.key());
        if (other == engine.m_records.cend())
            out << QStringLiteral("  only in kernel:     %1  %2")
                       .arg(QString::fromUtf8(it.key().toPercentEncoding("/")), describe(it.value()));
        else if (!(other.value() == it.value()))
            out << QStringLiteral("  differs:            %1\n    kernel: %2\n    ours:   %3")
                       .arg(QString::fromUtf8(it.key().toPercentEncoding("/")),
                           describe(it.value()),
                           describe(other.value()));
    }
    for (auto it = m_lookupErrors.begin(); it != m_lookupErrors.end(); ++it)
        out << QStringLiteral("  kernel refused:     %1  errno %2")
                   .arg(QString::fromUtf8(it.key().toPercentEncoding("/")))
                   .arg(it.value());
    for (auto it = engine.m_records.begin(); it != engine.m_records.end(); ++it) {
        if (!m_records.contains(it.key()))
            out << QStringLiteral("  only in our view:   %1  %2")
                       .arg(QString::fromUtf8(it.key().toPercentEncoding("/")), describe(it.value()));
    }
    return out.join(QLatin1Char('\n'));
}

QString TreeSnapshot::dump() const
{
    QStringList out;
    for (auto it = m_records.begin(); it != m_records.end(); ++it)
        out << QStringLiteral("  %1 %2").arg(QString::fromUtf8(it.key().toPercentEncoding("/")), it.value().type);
    return out.join(QLatin1Char('\n'));
}

} // namespace strata::test
