// SPDX-License-Identifier: GPL-2.0-or-later
#include "scenario.h"

#include "core/fs/overlayxattrs.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace strata
{

namespace
{

class Writer
{
public:
    explicit Writer(const QString &root) : m_root(root) { }

    bool dir(const QString &rel)
    {
        if (!QDir().mkpath(path(rel)))
            return fail(QStringLiteral("cannot create directory %1").arg(path(rel)));
        return true;
    }
    bool file(const QString &rel, const QByteArray &content, QFile::Permissions perms = {})
    {
        if (!dir(QFileInfo(rel).path()))
            return false;
        QFile f(path(rel));
        if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(QStringLiteral("cannot create %1: %2").arg(path(rel), f.errorString()));
        if (f.write(content) != content.size())
            return fail(QStringLiteral("cannot write %1: %2").arg(path(rel), f.errorString()));
        f.close();
        if (perms && !f.setPermissions(perms))
            return fail(QStringLiteral("cannot chmod %1").arg(path(rel)));
        return true;
    }
    bool symlink(const QString &target, const QString &rel)
    {
        if (!dir(QFileInfo(rel).path()))
            return false;
        if (::symlink(encodeFileName(target).constData(), encodeFileName(path(rel)).constData()) != 0)
            return fail(Error::fromErrno(errno, QStringLiteral("cannot create symlink %1").arg(path(rel))).message);
        return true;
    }
    bool whiteout(const QString &rel)
    {
        if (!dir(QFileInfo(rel).path()))
            return false;
        // Unprivileged users may create 0/0 character devices since Linux 5.8.
        if (::mknod(encodeFileName(path(rel)).constData(), S_IFCHR | 0000, makedev(0, 0)) != 0)
            return fail(Error::fromErrno(errno, QStringLiteral("cannot create whiteout %1").arg(path(rel))).message);
        return true;
    }
    bool opaque(const QString &rel, XattrNamespace ns)
    {
        if (const int err = OverlayXattrs::writeOpaque(encodeFileName(path(rel)).constData(), ns))
            return fail(Error::fromErrno(err,
                QStringLiteral("cannot mark %1 opaque (%2opaque)")
                    .arg(path(rel), QString::fromLatin1(OverlayXattrs::prefix(ns))))
                            .message);
        return true;
    }

    [[nodiscard]] QString path(const QString &rel) const { return QDir(m_root).filePath(rel); }
    [[nodiscard]] const QString &error() const { return m_error; }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
        return false;
    }
    QString m_root;
    QString m_error;
};

OverlayOptions blogOptions()
{
    OverlayOptions o;
    o.redirectDir = QStringLiteral("off");
    o.index = QStringLiteral("off");
    o.metacopy = QStringLiteral("off");
    o.xino = QStringLiteral("off");
    if (::geteuid() != 0) {
        // A normal user mounts in a user namespace, where overlay xattrs are user.overlay.*
        // and nofollow is the only redirect_dir the kernel accepts with userxattr.
        o.userxattr = true;
        o.redirectDir = QStringLiteral("nofollow");
    }
    return o;
}

struct FileText {
    const char *path;
    const char *text;
};
const FileText blogFiles[] = {
    {"lower_layer/base_image/PART1.txt",
        "Part 1. lower_layer is the read-only base: an image layer.\n"
        "Nothing you do in the merged view ever changes this directory.\n"},
    {"lower_layer/base_image/PART2.txt",
        "Part 2. upper_layer is the writable layer. Every change you make in\n"
        "overlay_layer (the merged view) lands here.\n"},
    {"lower_layer/base_image/PART3.txt",
        "Part 3. temp_layer is the work directory: the kernel prepares files\n"
        "there before moving them into upper_layer in one step.\n"},
    {"lower_layer/base_image/PART4.txt",
        "Part 4. overlay_layer is the mountpoint: it shows upper_layer on top\n"
        "of lower_layer, as if they were one directory.\n"},
    {"lower_layer/base_image/common.txt",
        "common.txt as it is in lower_layer.\n"
        "You never see this version in the merged view: upper_layer has its own.\n"},
    {"lower_layer/base_image/second_instruction.txt",
        "Edit me in overlay_layer: the kernel first copies me up into upper_layer,\n"
        "then changes the copy. My original in lower_layer stays as it is.\n"},
    {"lower_layer/base_image/third_instruction.txt",
        "Delete me in overlay_layer: lower_layer cannot change, so the kernel\n"
        "leaves a whiteout (a character device 0/0) named like me in upper_layer.\n"},
    {"upper_layer/base_image/common.txt",
        "common.txt as it is in upper_layer.\n"
        "This copy hides the one in lower_layer: the upper layer always wins.\n"},
};

bool writeBlog(Writer &w)
{
    for (const FileText &f : blogFiles) {
        if (!w.file(QString::fromLatin1(f.path), QByteArray(f.text)))
            return false;
    }
    return w.dir(QStringLiteral("temp_layer")) && w.dir(QStringLiteral("overlay_layer"));
}

// The blog's overlay, or (with a suffix) one more on top of it, with the blog's options.
OverlaySpec blogOverlay(const Workspace &ws, const QString &lower, const QString &suffix = QString())
{
    OverlaySpec s;
    s.name = QStringLiteral("overlay_layer") + suffix;
    s.lower = {ws.absolutePath(lower)};
    s.upper = ws.absolutePath(QStringLiteral("upper_layer") + suffix);
    s.work = ws.absolutePath(QStringLiteral("temp_layer") + suffix);
    s.mountpoint = ws.absolutePath(QStringLiteral("overlay_layer") + suffix);
    s.options = blogOptions();
    return s;
}

// A stable pseudo-random name of `length` characters of `alphabet` (xorshift from `seed`).
QString stableName(quint32 seed, int length, const char *alphabet, quint32 radix)
{
    QString s;
    quint32 x = seed;
    for (int i = 0; i < length; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        s += QLatin1Char(alphabet[x % radix]);
    }
    return s;
}

// Short link names in Docker's style: 26 characters of [A-Z0-9].
QString shortLink(int seed)
{
    return stableName(0x9e3779b9u * static_cast<quint32>(seed + 1), 26, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32);
}

QString cacheId(int seed)
{
    return stableName(0x85ebca6bu * static_cast<quint32>(seed + 7), 64, "0123456789abcdef", 16);
}

bool writeDockerLike(Writer &w, Workspace &ws, XattrNamespace ns)
{
    // Three image layers, the container's -init layer and the container layer, laid out as
    // /var/lib/docker/overlay2 lays them out.
    const QString base = QStringLiteral("overlay2/");
    const QString l1 = cacheId(1), l2 = cacheId(2), l3 = cacheId(3), ctr = cacheId(4);
    const QString init = ctr + QStringLiteral("-init");
    const QStringList ids = {l1, l2, l3, init, ctr};
    QStringList links;
    for (int i = 0; i < ids.size(); ++i)
        links << shortLink(i);

    bool ok = true;
    // Layer 1: FROM scratch + ADD rootfs
    const QString d1 = base + l1 + QStringLiteral("/diff/");
    ok = ok
        && w.file(d1 + QStringLiteral("bin/busybox"),
            "#!/bin/sh\necho 'stand-in for busybox'\n",
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup
                | QFile::ReadOther | QFile::ExeOther)
        && w.symlink(QStringLiteral("busybox"), d1 + QStringLiteral("bin/sh"))
        && w.symlink(QStringLiteral("busybox"), d1 + QStringLiteral("bin/ls"))
        && w.file(d1 + QStringLiteral("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        && w.file(d1 + QStringLiteral("etc/group"), "root:x:0:\nnogroup:x:65534:\n")
        && w.file(d1 + QStringLiteral("etc/os-release"), "NAME=\"Stratascope demo\"\nID=demo\n")
        && w.file(d1 + QStringLiteral("usr/share/doc/demo/README"), "Documentation that a later layer throws away.\n")
        && w.file(d1 + QStringLiteral("usr/share/doc/demo/CHANGES"), "1.0 first release\n")
        && w.dir(d1 + QStringLiteral("tmp"));
    // Layer 2: WORKDIR /app + COPY takbir.txt .
    const QString d2 = base + l2 + QStringLiteral("/diff/");
    ok = ok && w.file(d2 + QStringLiteral("app/takbir.txt"), "Allahu akbar\n");
    // Layer 3: RUN rm /etc/os-release && rm -rf /usr/share/doc/demo && mkdir -p /usr/share/doc/demo && echo slim > ...
    const QString d3 = base + l3 + QStringLiteral("/diff/");
    ok = ok && w.whiteout(d3 + QStringLiteral("etc/os-release"))
        && w.file(d3 + QStringLiteral("usr/share/doc/demo/SLIM"), "Docs removed to keep the image small.\n")
        && w.opaque(d3 + QStringLiteral("usr/share/doc/demo"), ns);
    // The -init layer Docker adds below every container.
    const QString di = base + init + QStringLiteral("/diff/");
    ok = ok && w.file(di + QStringLiteral(".dockerenv"), QByteArray())
        && w.file(di + QStringLiteral("etc/hosts"), QByteArray())
        && w.file(di + QStringLiteral("etc/hostname"), QByteArray())
        && w.file(di + QStringLiteral("etc/resolv.conf"), QByteArray()) && w.dir(di + QStringLiteral("dev/pts"))
        && w.dir(di + QStringLiteral("dev/shm")) && w.dir(di + QStringLiteral("proc"))
        && w.dir(di + QStringLiteral("sys"));
    // The container layer: what `docker exec` changed.
    const QString dc = base + ctr + QStringLiteral("/diff/");
    ok = ok && w.file(dc + QStringLiteral("app/takbir.txt"), "Allahu akbar\nchanged inside the container\n")
        && w.file(dc + QStringLiteral("tmp/scratch.txt"), "a file created in the running container\n")
        && w.whiteout(dc + QStringLiteral("bin/ls"));
    for (int i = 0; i < ids.size(); ++i) {
        const QString layerDir = base + ids.at(i) + QLatin1Char('/');
        ok = ok && w.file(layerDir + QStringLiteral("link"), links.at(i).toLatin1())
            && w.symlink(
                QStringLiteral("../") + ids.at(i) + QStringLiteral("/diff"), base + QStringLiteral("l/") + links.at(i));
        if (i > 0) {
            QStringList lower;
            for (int j = i - 1; j >= 0; --j)
                lower << QStringLiteral("l/") + links.at(j);
            ok = ok && w.file(layerDir + QStringLiteral("lower"), lower.join(QLatin1Char(':')).toLatin1());
        }
        if (i >= 3)
            ok = ok && w.dir(layerDir + QStringLiteral("work"));
    }
    ok = ok && w.dir(base + ctr + QStringLiteral("/merged"));
    if (!ok)
        return false;

    OverlaySpec s;
    s.name = QStringLiteral("container");
    for (int j = ids.size() - 2; j >= 0; --j)
        s.lower << ws.absolutePath(base + QStringLiteral("l/") + links.at(j));
    s.upper = ws.absolutePath(base + ctr + QStringLiteral("/diff"));
    s.work = ws.absolutePath(base + ctr + QStringLiteral("/work"));
    s.mountpoint = ws.absolutePath(base + ctr + QStringLiteral("/merged"));
    // Docker mounts overlay2 with index=off (and userxattr when rootless).
    s.options.index = QStringLiteral("off");
    s.options.userxattr = ns == XattrNamespace::User;
    ws.addOverlay(s);
    return true;
}

} // namespace

QStringList Scenario::names()
{
    return {QStringLiteral("blog"), QStringLiteral("stacked"), QStringLiteral("docker-like")};
}

QString Scenario::description(const QString &name)
{
    if (name == QLatin1String("blog"))
        return QStringLiteral("the classic walkthrough: lower_layer, upper_layer, temp_layer, overlay_layer");
    if (name == QLatin1String("stacked"))
        return QStringLiteral("blog plus a second overlay whose lower is the first overlay's mountpoint");
    if (name == QLatin1String("docker-like"))
        return QStringLiteral(
            "image layers, an -init layer and a container layer with l/ short links, as Docker lays them out");
    return {};
}

Result<Workspace> Scenario::create(const QString &name, const QString &dir)
{
    if (!names().contains(name))
        return Error {EINVAL,
            QStringLiteral("unknown scenario \"%1\"; choose one of %2").arg(name, names().join(QStringLiteral(", ")))};
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        return Error {ENOTDIR, QStringLiteral("%1 exists and is not a directory").arg(dir)};
    if (info.exists() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
        return Error {
            EEXIST, QStringLiteral("%1 is not empty; choose a new or empty directory (nothing was changed)").arg(dir)};
    if (!QDir().mkpath(dir))
        return Error {EACCES, QStringLiteral("cannot create directory %1").arg(dir)};

    Workspace ws;
    ws.setBaseDir(QFileInfo(dir).absoluteFilePath());
    Writer w(ws.baseDir());
    bool ok = true;
    if (name == QLatin1String("blog") || name == QLatin1String("stacked")) {
        ok = writeBlog(w);
        ws.addOverlay(blogOverlay(ws, QStringLiteral("lower_layer")));
        if (ok && name == QLatin1String("stacked")) {
            ok = w.dir(QStringLiteral("upper_layer_2")) && w.dir(QStringLiteral("temp_layer_2"))
                && w.dir(QStringLiteral("overlay_layer_2"));
            ws.addOverlay(blogOverlay(ws, QStringLiteral("overlay_layer"), QStringLiteral("_2")));
        }
    } else {
        const XattrNamespace ns = ::geteuid() == 0 ? XattrNamespace::Trusted : XattrNamespace::User;
        ok = writeDockerLike(w, ws, ns);
    }
    if (!ok)
        return Error {EIO, QStringLiteral("creating scenario \"%1\" failed: %2").arg(name, w.error())};
    const Status saved = ws.save(QDir(ws.baseDir()).filePath(Workspace::DefaultFileName));
    if (!saved)
        return saved.error();
    return ws;
}

} // namespace strata
