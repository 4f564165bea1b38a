// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountinfo.h"

#include "core/util/filename.h"

#include <QFile>

#include <cerrno>

namespace strata
{

namespace
{
// The kernel's octal escapes (\040 for a space, \134 for a backslash, \054 for a comma),
// undone: the bytes as they are.
QByteArray octalUnescaped(QByteArrayView field)
{
    QByteArray out;
    out.reserve(field.size());
    const auto isOctal = [](char c) {
        return c >= '0' && c <= '7';
    };
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && isOctal(field[i + 1]) && isOctal(field[i + 2])
            && isOctal(field[i + 3])) {
            out += static_cast<char>(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0'));
            i += 3;
            continue;
        }
        out += field[i];
    }
    return out;
}

// Splits on `sep` except where escaped with a backslash; keeps the escapes.
QList<QByteArray> splitUnescaped(const QByteArray &s, char sep)
{
    QList<QByteArray> parts;
    QByteArray cur;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            cur += s[i];
            cur += s[i + 1];
            ++i;
            continue;
        }
        if (s[i] == sep) {
            parts << cur;
            cur.clear();
            continue;
        }
        cur += s[i];
    }
    parts << cur;
    return parts;
}

// What the kernel's ovl_unescape() makes of a layer string: a backslash takes the next byte
// as it is.
QString dropEscapes(const QByteArray &s)
{
    QByteArray out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            out += s[++i];
            continue;
        }
        out += s[i];
    }
    return decodeFileName(out);
}
} // namespace

QString MountInfo::unescape(const QByteArray &field)
{
    return decodeFileName(octalUnescaped(field));
}

void MountInfo::decodeOverlayOptions(Entry &e, const QByteArray &rawSuperOptions)
{
    // A comma inside a value is octal-escaped (\054): the raw field splits on every comma.
    // Each value is the string the mounter gave: lowerdir, upperdir and workdir with the
    // mount(8) escapes (\: \, \\) that the kernel removes, lowerdir+ and datadir+ without.
    for (const QByteArray &raw : rawSuperOptions.split(',')) {
        const QByteArray opt = octalUnescaped(raw);
        const qsizetype eq = opt.indexOf('=');
        const QByteArray key = eq < 0 ? opt : opt.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : opt.mid(eq + 1);
        if (key == "lowerdir") {
            bool data = false;
            for (const QByteArray &part : splitUnescaped(value, ':')) {
                if (part.isEmpty()) {
                    data = true; // "::" separates data-only layers
                    continue;
                }
                (data ? e.dataDirs : e.lowerDirs) << dropEscapes(part);
            }
        } else if (key == "lowerdir+") {
            e.lowerDirs << decodeFileName(value);
        } else if (key == "datadir+") {
            e.dataDirs << decodeFileName(value);
        } else if (key == "upperdir") {
            e.upperDir = dropEscapes(value);
        } else if (key == "workdir") {
            e.workDir = dropEscapes(value);
        } else if (key != "rw" && key != "ro") {
            e.otherOptions << decodeFileName(opt);
        }
    }
}

QList<MountInfo::Entry> MountInfo::parse(const QByteArray &text)
{
    QList<Entry> out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty())
            continue;
        // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
        const QList<QByteArray> f = line.split(' ');
        const qsizetype dash = f.indexOf(QByteArrayLiteral("-"));
        if (dash < 6 || dash + 3 >= f.size())
            continue;
        Entry e;
        e.id = f[0].toInt();
        e.parentId = f[1].toInt();
        e.mountPoint = unescape(f[4]);
        e.mountOptions = unescape(f[5]);
        e.fsType = unescape(f.value(dash + 1));
        e.source = unescape(f.value(dash + 2));
        e.superOptions = unescape(f.value(dash + 3));
        if (e.isOverlay())
            decodeOverlayOptions(e, f.value(dash + 3));
        out << e;
    }
    return out;
}

Result<QList<MountInfo::Entry>> MountInfo::read(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error {EACCES, QStringLiteral("%1: %2").arg(path, f.errorString())};
    return parse(f.readAll());
}

std::optional<MountInfo::Entry> MountInfo::find(const QList<Entry> &entries, const QString &mountPoint)
{
    // Later lines are mounted on top of earlier ones at the same place.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->mountPoint == mountPoint)
            return *it;
    }
    return std::nullopt;
}

std::optional<MountInfo::Entry> MountInfo::overlayAt(const QString &mountPoint)
{
    auto mounts = read();
    if (!mounts)
        return std::nullopt;
    auto e = find(*mounts, mountPoint);
    if (e && e->isAnyOverlay())
        return e;
    return std::nullopt;
}

} // namespace strata
