// SPDX-License-Identifier: GPL-2.0-or-later
#include "inputtree.h"

#include <QList>

#include <cerrno>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::fuzz
{

namespace
{
constexpr int MaxDepth = 16;
constexpr qsizetype MaxName = 200;

// The names of a relative path, without the ones that could leave the tree.
QList<QByteArray> cleanNames(const QByteArray &path)
{
    QList<QByteArray> names;
    for (QByteArray name : path.split('/')) {
        name.replace('\0', QByteArray());
        if (name.isEmpty() || name == "." || name == "..")
            continue;
        names << name.left(MaxName);
        if (names.size() == MaxDepth)
            break;
    }
    return names;
}

// Whether a link at depth `depth` (the number of directories above it inside the tree) to
// `target` stays inside the tree: relative, and never above the root.
bool staysInside(const QByteArray &target, qsizetype depth)
{
    if (target.isEmpty() || target.startsWith('/') || target.contains('\0'))
        return false;
    for (const QByteArray &name : target.split('/')) {
        if (name == "..")
            --depth;
        else if (!name.isEmpty() && name != ".")
            ++depth;
        if (depth < 0)
            return false;
    }
    return true;
}

// Makes the directories of `names` below root, refusing to go through anything but a
// directory; returns the path of the last one, or an empty array.
QByteArray makeParents(const QByteArray &root, const QList<QByteArray> &names)
{
    QByteArray path = root;
    for (const QByteArray &name : names) {
        path += '/' + name;
        struct stat st {
        };
        if (::lstat(path.constData(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return {};
            continue;
        }
        if (::mkdir(path.constData(), 0755) != 0)
            return {};
    }
    return path;
}
} // namespace

bool InputTree::build(const QByteArray &input, const QByteArray &root)
{
    if (::mkdir(root.constData(), 0755) != 0)
        return false;
    // Sections start with "@@" at the start of the input or of a line.
    QList<qsizetype> starts;
    for (qsizetype i = input.indexOf("@@"); i >= 0; i = input.indexOf("@@", i + 2)) {
        if (i == 0 || input.at(i - 1) == '\n')
            starts << i;
    }
    for (qsizetype k = 0; k < starts.size(); ++k) {
        const qsizetype end = k + 1 < starts.size() ? starts.at(k + 1) - 1 : input.size();
        addSection(root, input.mid(starts.at(k) + 2, end - starts.at(k) - 2));
    }
    return true;
}

void InputTree::addSection(const QByteArray &root, const QByteArray &section)
{
    const qsizetype eol = section.indexOf('\n');
    QByteArray header = eol < 0 ? section : section.left(eol);
    const QByteArray body = eol < 0 ? QByteArray() : section.mid(eol + 1);
    const char kind = header.isEmpty() ? ' ' : header.at(0);
    if (kind == '>' || kind == '/')
        header.remove(0, 1);
    QList<QByteArray> names = cleanNames(header.trimmed());
    if (names.isEmpty())
        return;
    if (kind == '/') {
        (void)makeParents(root, names);
        return;
    }
    const QByteArray leaf = names.takeLast();
    const QByteArray parent = makeParents(root, names);
    if (parent.isEmpty())
        return;
    const QByteArray path = parent + '/' + leaf;
    if (kind == '>') {
        const QByteArray target = body.left(body.indexOf('\n'));
        if (staysInside(target, names.size()))
            (void)::symlink(target.constData(), path.constData());
        return;
    }
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    for (qsizetype done = 0; done < body.size();) {
        const ssize_t n = ::write(fd, body.constData() + done, static_cast<size_t>(body.size() - done));
        if (n <= 0)
            break;
        done += n;
    }
    ::close(fd);
}

void InputTree::remove(const QByteArray &root)
{
    (void)::nftw(
        root.constData(),
        [](const char *path, const struct stat *, int type, struct FTW *) {
            if (type == FTW_DP)
                ::rmdir(path);
            else
                ::unlink(path);
            return 0;
        },
        32,
        FTW_DEPTH | FTW_PHYS);
}

} // namespace strata::fuzz
