// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountinfo.h"

#include <QFile>

#include <cerrno>

namespace strata
{

QString MountInfo::unescape(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            const QByteArray oct = field.mid(i + 1, 3);
            bool ok = oct.size() == 3;
            for (char c : oct)
                ok = ok && c >= '0' && c <= '7';
            if (ok) {
                out += static_cast<char>(oct.toInt(nullptr, 8));
                i += 3;
                continue;
            }
        }
        out += field[i];
    }
    return QFile::decodeName(out);
}

namespace
{
// Splits on `sep` except where escaped with a backslash; keeps the escapes.
QStringList splitUnescaped(const QString &s, QChar sep)
{
    QStringList parts;
    QString cur;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == QLatin1Char('\\') && i + 1 < s.size()) {
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

QString dropEscapes(const QString &s)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == QLatin1Char('\\') && i + 1 < s.size()) {
            out += s[++i];
            continue;
        }
        out += s[i];
    }
    return out;
}
} // namespace

void MountInfo::decodeOverlayOptions(Entry &e)
{
    for (const QString &opt : splitUnescaped(e.superOptions, QLatin1Char(','))) {
        const qsizetype eq = opt.indexOf(QLatin1Char('='));
        const QString key = eq < 0 ? opt : opt.left(eq);
        const QString value = eq < 0 ? QString() : opt.mid(eq + 1);
        if (key == QLatin1String("lowerdir")) {
            bool data = false;
            for (const QString &part : splitUnescaped(value, QLatin1Char(':'))) {
                if (part.isEmpty()) {
                    data = true; // "::" separates data-only layers
                    continue;
                }
                (data ? e.dataDirs : e.lowerDirs) << dropEscapes(part);
            }
        } else if (key == QLatin1String("lowerdir+")) {
            e.lowerDirs << dropEscapes(value);
        } else if (key == QLatin1String("datadir+")) {
            e.dataDirs << dropEscapes(value);
        } else if (key == QLatin1String("upperdir")) {
            e.upperDir = dropEscapes(value);
        } else if (key == QLatin1String("workdir")) {
            e.workDir = dropEscapes(value);
        } else if (key != QLatin1String("rw") && key != QLatin1String("ro")) {
            e.otherOptions << opt;
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
            decodeOverlayOptions(e);
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
