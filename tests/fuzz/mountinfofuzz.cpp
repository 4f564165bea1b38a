// SPDX-License-Identifier: GPL-2.0-or-later
// /proc/self/mountinfo: any text parses into entries without a crash; the kernel's escapes
// of a field (mangle() below, as seq_escape writes them) come back as the exact path; an
// overlay's plain layer list comes back layer by layer.
#include "tests/fuzz/fuzztargets.h"

#include "core/mount/mountinfo.h"
#include "core/util/filename.h"

#include <QFile>

namespace strata::fuzz
{

namespace
{
// How the kernel writes a path into mountinfo: space, tab, newline and backslash as \ooo.
QByteArray mangle(const QByteArray &field)
{
    QByteArray out;
    for (const char c : field) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
            const auto u = static_cast<unsigned char>(c);
            out += '\\';
            out += static_cast<char>('0' + (u >> 6));
            out += static_cast<char>('0' + ((u >> 3) & 7));
            out += static_cast<char>('0' + (u & 7));
        } else {
            out += c;
        }
    }
    return out;
}

// A layer path without the characters overlay's option syntax escapes.
QByteArray plainLayer(QByteArray part)
{
    for (const char c : {',', ':', '\\', '\0', ' ', '\t', '\n', '='})
        part.replace(c, QByteArray());
    return part;
}

void checkRoundTrips(const QList<QByteArray> &parts)
{
    // Mount points are absolute: a field of its own is never "-", the separator.
    const QByteArray mountPoint = '/' + QByteArray(parts.first()).replace('\0', QByteArray());
    const QByteArray mangled = mangle(mountPoint);
    if (encodeFileName(decodeFileName(mountPoint)) == mountPoint) {
        require(encodeFileName(MountInfo::unescape(mangled)) == mountPoint, "unescape undoes the kernel's escapes");
        const QList<MountInfo::Entry> one
            = MountInfo::parse("36 35 98:0 / " + mangled + " rw,relatime shared:1 - ext4 /dev/vda rw\n");
        require(one.size() == 1 && encodeFileName(one.first().mountPoint) == mountPoint,
            "a mountinfo line gives its mount point back");
    }
    QStringList lowers;
    QByteArray lowerdir;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray layer = plainLayer(parts.at(i));
        if (layer.isEmpty() || encodeFileName(decodeFileName(layer)) != layer)
            continue;
        lowers << decodeFileName(layer);
        lowerdir += (lowerdir.isEmpty() ? "" : ":") + layer;
    }
    if (lowers.isEmpty())
        return;
    MountInfo::Entry e;
    e.fsType = QStringLiteral("overlay");
    const QByteArray raw = "rw,lowerdir=" + lowerdir + ",upperdir=/u,workdir=/w,redirect_dir=on";
    e.superOptions = decodeFileName(raw);
    MountInfo::decodeOverlayOptions(e, raw);
    require(e.lowerDirs == lowers, "an overlay's lowerdir comes back layer by layer");
    require(e.upperDir == QLatin1String("/u") && e.workDir == QLatin1String("/w"), "upperdir and workdir come back");
    require(e.otherOptions == QStringList {QStringLiteral("redirect_dir=on")}, "other options are kept");
}
} // namespace

void mountInfo(const std::uint8_t *data, std::size_t size)
{
    const QByteArray text = bytes(data, size);
    const QList<MountInfo::Entry> entries = MountInfo::parse(text);
    for (const MountInfo::Entry &e : entries) {
        const auto top = MountInfo::find(entries, e.mountPoint);
        require(top && top->mountPoint == e.mountPoint, "every mount point is found");
    }
    checkRoundTrips(text.split('\0'));
}

} // namespace strata::fuzz
