// SPDX-License-Identifier: GPL-2.0-or-later
#include "workspace.h"

#include "core/util/filename.h"
#include "core/util/jsonstring.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace strata
{

namespace
{

// Line and column of a byte offset, for parse errors people can find in an editor.

// Docker-style ids (64 hex digits) are shortened to 12, as `docker ps` does.
QString abbreviateIds(const QString &path)
{
    static const QRegularExpression id(QStringLiteral("\\b([0-9a-f]{12})[0-9a-f]{52}\\b"));
    QString out = path;
    out.replace(id, QStringLiteral("\\1"));
    return out;
}

Error keyError(const QString &source, const QString &key, const QString &problem)
{
    return Error {EINVAL, QStringLiteral("%1: %2: %3").arg(source, key, problem)};
}

// A path key: "<key>_base64" (the exact bytes, for a name that is not UTF-8) when it is
// there, else "<key>" itself.
struct PathValue {
    QJsonValue value;
    bool base64 = false;
    QString key; ///< the key it was read from
};
PathValue pathValue(const QJsonObject &obj, const QString &key)
{
    const QString b64 = key + QStringLiteral("_base64");
    if (obj.contains(b64))
        return PathValue {obj.value(b64), true, b64};
    return PathValue {obj.value(key), false, key};
}

// One path string: non-empty, valid base64 where it is base64, no NUL byte (a C string would
// end there and name another file).
Result<QString> pathString(const QJsonValue &v, bool base64, const QString &key, const QString &source)
{
    if (!v.isString())
        return keyError(source, key, QStringLiteral("expected a path (a string), got %1").arg(jsonTypeName(v)));
    QString path = v.toString();
    if (base64) {
        const auto decoded = QByteArray::fromBase64Encoding(path.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return keyError(source, key, QStringLiteral("is not base64"));
        if (decoded.decoded.contains('\0'))
            return keyError(source, key, QStringLiteral("contains a NUL byte; a path cannot"));
        path = decodeFileName(decoded.decoded);
    }
    if (path.isEmpty())
        return keyError(source, key, QStringLiteral("must not be empty"));
    if (path.contains(QChar(0)))
        return keyError(source, key, QStringLiteral("contains a NUL character; a path cannot"));
    return path;
}

Result<QString> requiredPath(const QJsonObject &obj, const QString &key, const QString &where, const QString &source)
{
    const PathValue p = pathValue(obj, key);
    if (p.value.isUndefined())
        return keyError(source, where + QLatin1Char('.') + key, QStringLiteral("missing; expected a path (a string)"));
    return pathString(p.value, p.base64, where + QLatin1Char('.') + p.key, source);
}

// A file name into the file: as text, and as "<key>_base64" too when it is not UTF-8.
void insertPath(QJsonObject &o, const QString &key, const QString &path)
{
    o.insert(key, path);
    if (hasEscapedBytes(path))
        o.insert(key + QStringLiteral("_base64"), QString::fromLatin1(encodeFileName(path).toBase64()));
}

} // namespace

Result<Workspace> Workspace::load(const QString &path)
{
    // By its bytes (QFile cannot open a name that is not UTF-8).
    const QByteArray bytes = encodeFileName(path);
    struct stat st {
    };
    QString file = path;
    if (::stat(bytes.constData(), &st) == 0 && S_ISDIR(st.st_mode))
        file = QDir(path).filePath(DefaultFileName);
    constexpr qint64 MaxSize = 64 * 1024 * 1024;
    auto data = readFileBytes(file, MaxSize);
    if (!data && data.error().code == ENOENT)
        return Error {ENOENT, QStringLiteral("%1: no such workspace file").arg(file)};
    if (!data)
        return Error {data.error().code,
            QStringLiteral("%1: cannot read: %2").arg(file, QString::fromLocal8Bit(std::strerror(data.error().code)))};
    const QString absolute = QDir::cleanPath(QDir::current().absoluteFilePath(file));
    auto ws = fromJson(*data, QFileInfo(absolute).path(), file);
    if (ws)
        ws->m_filePath = absolute;
    return ws;
}

Result<Workspace> Workspace::fromJson(const QByteArray &json, const QString &baseDir, const QString &source)
{
    const auto parsed = parseJsonObject(json, source);
    if (!parsed)
        return parsed.error();
    const QJsonObject &top = *parsed;

    Workspace ws;
    ws.m_baseDir = QDir(baseDir).absolutePath();

    const QJsonValue version = top.value(QStringLiteral("version"));
    if (version.isUndefined())
        return keyError(source, QStringLiteral("version"), QStringLiteral("missing; expected %1").arg(FormatVersion));
    if (!version.isDouble() || version.toDouble() != static_cast<double>(version.toInt()))
        return keyError(source,
            QStringLiteral("version"),
            QStringLiteral("expected an integer, got %1").arg(jsonTypeName(version)));
    if (version.toInt() != FormatVersion) {
        return keyError(source,
            QStringLiteral("version"),
            QStringLiteral("version %1 is not supported; this Stratascope reads version %2")
                .arg(version.toInt())
                .arg(FormatVersion));
    }
    for (auto it = top.begin(); it != top.end(); ++it) {
        if (it.key() != QLatin1String("version") && it.key() != QLatin1String("overlays"))
            ws.m_warnings << QStringLiteral("%1: %2: unknown key, ignored").arg(source, it.key());
    }

    const QJsonValue overlays = top.value(QStringLiteral("overlays"));
    if (overlays.isUndefined())
        return keyError(source, QStringLiteral("overlays"), QStringLiteral("missing; expected an array of overlays"));
    if (!overlays.isArray())
        return keyError(source,
            QStringLiteral("overlays"),
            QStringLiteral("expected an array, got %1").arg(jsonTypeName(overlays)));
    const QJsonArray arr = overlays.toArray();
    if (arr.isEmpty())
        return keyError(
            source, QStringLiteral("overlays"), QStringLiteral("is empty; a workspace needs at least one overlay"));

    QSet<QString> names;
    for (qsizetype i = 0; i < arr.size(); ++i) {
        auto spec = ws.overlayFromJson(arr.at(i), QStringLiteral("overlays[%1]").arg(i), source, names);
        if (!spec)
            return spec.error();
        ws.m_overlays.append(*spec);
    }
    if (Status mountpoints = ws.checkMountpoints(source); !mountpoints)
        return mountpoints.error();
    // Multi-level references must not loop.
    for (int i = 0; i < ws.m_overlays.size(); ++i) {
        auto layers = ws.mergeLayers(i);
        if (!layers)
            return Error {EINVAL, source + QStringLiteral(": ") + layers.error().message};
    }
    ws.checkSharing();
    return ws;
}

Result<OverlaySpec> Workspace::overlayFromJson(
    const QJsonValue &value, const QString &where, const QString &source, QSet<QString> &names)
{
    static const QSet<QString> knownKeys = {QStringLiteral("name"),
        QStringLiteral("lower"),
        QStringLiteral("lower_base64"),
        QStringLiteral("data_lowers"),
        QStringLiteral("data_lowers_base64"),
        QStringLiteral("upper"),
        QStringLiteral("upper_base64"),
        QStringLiteral("work"),
        QStringLiteral("work_base64"),
        QStringLiteral("mountpoint"),
        QStringLiteral("mountpoint_base64"),
        QStringLiteral("options")};
    if (!value.isObject())
        return keyError(source, where, QStringLiteral("expected an object, got %1").arg(jsonTypeName(value)));
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!knownKeys.contains(it.key()))
            m_warnings << QStringLiteral("%1: %2.%3: unknown key, ignored").arg(source, where, it.key());
    }
    OverlaySpec spec;
    const QJsonValue name = o.value(QStringLiteral("name"));
    if (name.isUndefined())
        return keyError(source, where + QStringLiteral(".name"), QStringLiteral("missing; expected a string"));
    if (!name.isString() || name.toString().isEmpty())
        return keyError(source,
            where + QStringLiteral(".name"),
            QStringLiteral("expected a non-empty string, got %1").arg(jsonTypeName(name)));
    spec.name = name.toString();
    for (const QChar c : std::as_const(spec.name)) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return keyError(source,
                where + QStringLiteral(".name"),
                c.unicode() == 0 ? QStringLiteral("contains a NUL character; a name cannot")
                                 : QStringLiteral("contains the control character U+%1; a name cannot")
                                       .arg(int(c.unicode()), 4, 16, QLatin1Char('0')));
    }
    if (names.contains(spec.name))
        return keyError(source,
            where + QStringLiteral(".name"),
            QStringLiteral("\"%1\" is used by an earlier overlay; names must be unique").arg(spec.name));
    names.insert(spec.name);

    const PathValue lowerValue = pathValue(o, QStringLiteral("lower"));
    const QString lowerKey = where + QLatin1Char('.') + lowerValue.key;
    auto lowers = lowersFromJson(lowerValue.value, lowerValue.base64, lowerKey, source);
    if (!lowers)
        return lowers.error();
    spec.lower = *lowers;
    if (Status data = dataLowersFromJson(o, where, source, spec); !data)
        return data.error();
    if (Status upper = upperFromJson(o, where, source, spec); !upper)
        return upper.error();
    auto mp = requiredPath(o, QStringLiteral("mountpoint"), where, source);
    if (!mp)
        return mp.error();
    spec.mountpoint = absolutePath(*mp);
    if (spec.lower.contains(spec.mountpoint))
        return keyError(source, lowerKey, QStringLiteral("contains the overlay's own mountpoint"));
    if (spec.dataLower.contains(spec.mountpoint))
        return keyError(
            source, where + QStringLiteral(".data_lowers"), QStringLiteral("contains the overlay's own mountpoint"));
    if (Status distinct = checkDistinctLayers(spec, where, lowerKey, source); !distinct)
        return distinct.error();

    auto opts = OverlayOptions::fromJson(o.value(QStringLiteral("options")), where + QStringLiteral(".options"));
    if (!opts)
        return Error {EINVAL, source + QStringLiteral(": ") + opts.error().message};
    spec.options = *opts;
    return spec;
}

Result<QStringList> Workspace::lowersFromJson(
    const QJsonValue &lower, bool base64, const QString &lowerKey, const QString &source) const
{
    if (lower.isUndefined())
        return keyError(source, lowerKey, QStringLiteral("missing; expected an array of paths, top layer first"));
    if (!lower.isArray())
        return keyError(source,
            lowerKey,
            QStringLiteral("expected an array of paths (top layer first), got %1").arg(jsonTypeName(lower)));
    const QJsonArray lowers = lower.toArray();
    if (lowers.isEmpty())
        return keyError(source, lowerKey, QStringLiteral("is empty; an overlay needs at least one lower layer"));
    if (lowers.size() > 500)
        return keyError(
            source, lowerKey, QStringLiteral("has %1 layers; the kernel allows at most 500").arg(lowers.size()));
    QStringList out;
    for (qsizetype j = 0; j < lowers.size(); ++j) {
        const QJsonValue l = lowers.at(j);
        const QString key = QStringLiteral("%1[%2]").arg(lowerKey).arg(j);
        if (!l.isString() || l.toString().isEmpty())
            return keyError(
                source, key, QStringLiteral("expected a non-empty path string, got %1").arg(jsonTypeName(l)));
        auto path = pathString(l, base64, key, source);
        if (!path)
            return path.error();
        out << absolutePath(*path);
    }
    return out;
}

Status Workspace::dataLowersFromJson(
    const QJsonObject &o, const QString &where, const QString &source, OverlaySpec &spec) const
{
    const PathValue value = pathValue(o, QStringLiteral("data_lowers"));
    if (value.value.isUndefined() || value.value.isNull())
        return {};
    const QString key = where + QLatin1Char('.') + value.key;
    if (value.value.isArray() && value.value.toArray().isEmpty())
        return {};
    auto data = lowersFromJson(value.value, value.base64, key, source);
    if (!data)
        return data.error();
    spec.dataLower = *data;
    // Regular and data-only layers count together (ovl_parse_param_lowerdir).
    const qsizetype all = spec.lower.size() + spec.dataLower.size();
    if (all > 500)
        return keyError(source,
            key,
            QStringLiteral("makes %1 lower layers with the regular ones; the kernel allows at most 500").arg(all));
    return {};
}

Status Workspace::upperFromJson(const QJsonObject &o, const QString &where, const QString &source, OverlaySpec &spec)
{
    const PathValue upperValue = pathValue(o, QStringLiteral("upper"));
    const QJsonValue upper = upperValue.value;
    if (upper.isUndefined() || upper.isNull()) {
        if (spec.lower.size() + spec.dataLower.size() < 2)
            m_warnings << QStringLiteral("%1: %2: no upper and a single lower: the kernel refuses to mount this "
                                         "(a read-only overlay needs at least 2 lower layers)")
                              .arg(source, where);
        return {};
    }
    if (!upper.isString() || upper.toString().isEmpty())
        return keyError(source,
            where + QLatin1Char('.') + upperValue.key,
            QStringLiteral("expected a path (a string), got %1").arg(jsonTypeName(upper)));
    auto upperPath = pathString(upper, upperValue.base64, where + QLatin1Char('.') + upperValue.key, source);
    if (!upperPath)
        return upperPath.error();
    spec.upper = absolutePath(*upperPath);
    auto work = requiredPath(o, QStringLiteral("work"), where, source);
    if (!work)
        return work.error();
    spec.work = absolutePath(*work);
    if (spec.work == spec.upper)
        return keyError(source,
            where + QStringLiteral(".work"),
            QStringLiteral("must differ from upper: the kernel needs a separate, empty work directory"));
    if (spec.work.startsWith(spec.upper + QLatin1Char('/')) || spec.upper.startsWith(spec.work + QLatin1Char('/')))
        return keyError(source,
            where + QStringLiteral(".work"),
            QStringLiteral("upper and work must not contain each other (the kernel refuses)"));
    return {};
}

Status Workspace::checkDistinctLayers(
    const OverlaySpec &spec, const QString &where, const QString &lowerKey, const QString &source)
{
    // The kernel refuses a directory used twice ("conflicting lowerdir path", ELOOP); say so
    // here, naming the key, rather than after a mount fails.
    // Data-only layers count as lower layers here: the kernel refuses those used twice too.
    const QStringList all = spec.lower + spec.dataLower;
    auto keyOf = [&](qsizetype j) {
        return j < spec.lower.size() ? QStringLiteral("%1[%2]").arg(lowerKey).arg(j)
                                     : QStringLiteral("%1.data_lowers[%2]").arg(where).arg(j - spec.lower.size());
    };
    for (qsizetype j = 0; j < all.size(); ++j) {
        const qsizetype first = all.indexOf(all.at(j));
        if (first < j)
            return keyError(source,
                keyOf(j),
                QStringLiteral("is the same directory as %1; every lower layer must be a different directory")
                    .arg(keyOf(first)));
    }
    if (!spec.hasUpper())
        return {};
    for (const auto &[dir, key] :
        {std::pair {spec.upper, QStringLiteral("upper")}, {spec.work, QStringLiteral("work")}}) {
        const qsizetype k = all.indexOf(dir);
        if (k >= 0)
            return keyError(source,
                where + QLatin1Char('.') + key,
                QStringLiteral("is also a lower layer (%1); the kernel refuses a directory used twice").arg(keyOf(k)));
    }
    return {};
}

Status Workspace::checkMountpoints(const QString &source) const
{
    // A data-only layer is read as a plain directory: another overlay's merged view cannot be one.
    for (int i = 0; i < m_overlays.size(); ++i) {
        for (int j = 0; j < m_overlays.size(); ++j) {
            const qsizetype k = m_overlays.at(i).dataLower.indexOf(m_overlays.at(j).mountpoint);
            if (k >= 0)
                return keyError(source,
                    QStringLiteral("overlays[%1].data_lowers[%2]").arg(i).arg(k),
                    QStringLiteral("is the mountpoint of \"%1\"; a data-only layer must be a plain directory")
                        .arg(m_overlays.at(j).name));
        }
    }
    for (int i = 1; i < m_overlays.size(); ++i) {
        for (int j = 0; j < i; ++j) {
            if (m_overlays.at(i).mountpoint == m_overlays.at(j).mountpoint)
                return keyError(source,
                    QStringLiteral("overlays[%1].mountpoint").arg(i),
                    QStringLiteral("is also the mountpoint of \"%1\" (overlays[%2]); two overlays cannot be mounted "
                                   "in one place")
                        .arg(m_overlays.at(j).name)
                        .arg(j));
        }
    }
    return {};
}

void Workspace::checkSharing()
{
    for (int i = 0; i < m_overlays.size(); ++i) {
        for (int j = i + 1; j < m_overlays.size(); ++j) {
            const OverlaySpec &a = m_overlays.at(i);
            const OverlaySpec &b = m_overlays.at(j);
            if (a.hasUpper() && a.upper == b.upper) {
                m_warnings << QStringLiteral(
                    "overlays \"%1\" and \"%2\" share the upper directory %3: the kernel mounts "
                    "the second with a warning only (undefined behaviour) or refuses with EBUSY "
                    "when index=on")
                                  .arg(a.name, b.name, displayPath(a.upper));
            }
            if (a.hasUpper() && b.hasUpper() && a.work == b.work) {
                m_warnings << QStringLiteral("overlays \"%1\" and \"%2\" share the work directory %3: two overlays may "
                                             "not share a workdir")
                                  .arg(a.name, b.name, displayPath(a.work));
            }
        }
    }
}

QByteArray Workspace::toJson() const
{
    QJsonArray arr;
    for (const OverlaySpec &spec : m_overlays) {
        QJsonObject o;
        o.insert(QStringLiteral("name"), spec.name);
        insertPaths(o, QStringLiteral("lower"), spec.lower);
        if (!spec.dataLower.isEmpty())
            insertPaths(o, QStringLiteral("data_lowers"), spec.dataLower);
        if (spec.hasUpper()) {
            insertPath(o, QStringLiteral("upper"), displayPath(spec.upper));
            insertPath(o, QStringLiteral("work"), displayPath(spec.work));
        }
        insertPath(o, QStringLiteral("mountpoint"), displayPath(spec.mountpoint));
        const QJsonObject opts = spec.options.toJson();
        if (!opts.isEmpty())
            o.insert(QStringLiteral("options"), opts);
        arr.append(o);
    }
    QJsonObject top;
    top.insert(QStringLiteral("version"), FormatVersion);
    top.insert(QStringLiteral("overlays"), arr);
    return QJsonDocument(top).toJson(QJsonDocument::Indented);
}

void Workspace::insertPaths(QJsonObject &o, const QString &key, const QStringList &paths) const
{
    QJsonArray text;
    QJsonArray base64;
    bool bytes = false;
    for (const QString &l : paths) {
        text.append(displayPath(l));
        base64.append(QString::fromLatin1(encodeFileName(displayPath(l)).toBase64()));
        bytes = bytes || hasEscapedBytes(l);
    }
    o.insert(key, text);
    if (bytes)
        o.insert(key + QStringLiteral("_base64"), base64);
}

Status Workspace::save(const QString &filePath)
{
    if (hasEscapedBytes(filePath))
        return Error {EINVAL, QStringLiteral("%1: cannot write a file whose name is not UTF-8").arg(filePath)};
    QSaveFile f(filePath);
    if (!f.open(QIODevice::WriteOnly))
        return Error {EACCES, QStringLiteral("%1: cannot write: %2").arg(filePath, f.errorString())};
    f.write(toJson());
    if (!f.commit())
        return Error {EIO, QStringLiteral("%1: cannot write: %2").arg(filePath, f.errorString())};
    m_filePath = QFileInfo(filePath).absoluteFilePath();
    return {};
}

int Workspace::indexOf(const QString &overlayName) const
{
    for (int i = 0; i < m_overlays.size(); ++i) {
        if (m_overlays.at(i).name == overlayName)
            return i;
    }
    return -1;
}

Result<int> Workspace::overlayIndex(const QString &overlayName) const
{
    if (overlayName.isEmpty())
        return 0;
    const int index = indexOf(overlayName);
    if (index >= 0)
        return index;
    QStringList names;
    for (const OverlaySpec &o : m_overlays)
        names << o.name;
    return Error {ENOENT,
        QStringLiteral("no overlay named \"%1\" in %2; it has: %3")
            .arg(overlayName, m_filePath, names.join(QStringLiteral(", ")))};
}

QList<int> Workspace::dependents(int overlayIndex) const
{
    QList<int> found;
    if (overlayIndex < 0 || overlayIndex >= m_overlays.size())
        return found;
    QStringList mountpoints {m_overlays.at(overlayIndex).mountpoint};
    for (int j = overlayIndex + 1; j < m_overlays.size(); ++j) {
        const OverlaySpec &o = m_overlays.at(j);
        for (const QString &mp : std::as_const(mountpoints)) {
            if (o.lower.contains(mp)) {
                found << j;
                mountpoints << o.mountpoint;
                break;
            }
        }
    }
    return found;
}

QStringList Workspace::stackedOn(int overlayIndex) const
{
    QStringList names;
    if (overlayIndex < 0 || overlayIndex >= m_overlays.size())
        return names;
    for (const OverlaySpec &inner : m_overlays) {
        if (m_overlays.at(overlayIndex).lower.contains(inner.mountpoint))
            names << inner.name;
    }
    return names;
}

int Workspace::stackingDepth(int overlayIndex) const
{
    // Lowers come earlier in mount order, so the walk ends; a loop counts as too deep.
    int depth = 1;
    for (int i = 0; i < overlayIndex && overlayIndex < m_overlays.size(); ++i) {
        if (m_overlays.at(overlayIndex).lower.contains(m_overlays.at(i).mountpoint))
            depth = std::max(depth, stackingDepth(i) + 1);
    }
    return depth;
}

QList<int> Workspace::mountedWith(int overlayIndex) const
{
    QList<int> all;
    for (int i = 0; i < overlayIndex && overlayIndex < m_overlays.size(); ++i) {
        if (!m_overlays.at(overlayIndex).lower.contains(m_overlays.at(i).mountpoint))
            continue;
        for (const int j : mountedWith(i)) {
            if (!all.contains(j))
                all << j;
        }
    }
    std::sort(all.begin(), all.end());
    all << overlayIndex;
    return all;
}

QString Workspace::displayPath(const QString &absolutePath) const
{
    const QString rel = QDir(m_baseDir).relativeFilePath(absolutePath);
    if (rel.startsWith(QLatin1String("../")) || rel == QLatin1String(".."))
        return absolutePath;
    return rel;
}

QString Workspace::absolutePath(const QString &path) const
{
    return QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(path));
}

Result<MergeLayers> Workspace::mergeLayers(int overlayIndex) const
{
    return mergeLayers(overlayIndex, 0);
}

Result<MergeLayers> Workspace::mergeLayers(int overlayIndex, int depth) const
{
    if (overlayIndex < 0 || overlayIndex >= m_overlays.size())
        return Error {EINVAL, QStringLiteral("no overlay number %1").arg(overlayIndex)};
    if (depth > m_overlays.size())
        return Error {ELOOP,
            QStringLiteral("overlay \"%1\": its lower layers refer back to it (a cycle of mountpoints)")
                .arg(m_overlays.at(overlayIndex).name)};
    const OverlaySpec &spec = m_overlays.at(overlayIndex);
    auto makeLayer = [this](const QString &path, LayerRole role) {
        MergeLayer l;
        l.path = path;
        l.role = role;
        const QFileInfo info(path);
        if (info.isSymLink())
            l.linkTarget = info.canonicalFilePath();
        // A short link (Docker's l/) is named after the directory it leads to.
        l.name = abbreviateIds(displayPath(l.linkTarget.isEmpty() ? path : l.linkTarget));
        return l;
    };
    MergeLayers out;
    MergeLayers dataLayers;
    if (spec.hasUpper())
        out.append(makeLayer(spec.upper, LayerRole::Upper));
    for (const QString &data : spec.dataLower) {
        // After every regular layer, as the kernel orders them; only the builder's metacopy
        // lookup reads them.
        MergeLayer l = makeLayer(data, LayerRole::Lower);
        l.dataOnly = true;
        l.name += QStringLiteral(" (data only)"); // as the columns and the diagram show it
        dataLayers.append(l);
    }
    for (const QString &lower : spec.lower) {
        int inner = -1;
        for (int j = 0; j < m_overlays.size(); ++j) {
            if (m_overlays.at(j).mountpoint == lower)
                inner = j;
        }
        if (inner < 0) {
            out.append(makeLayer(lower, LayerRole::Lower));
            continue;
        }
        if (inner == overlayIndex)
            return Error {
                ELOOP, QStringLiteral("overlay \"%1\" uses its own mountpoint as a lower layer").arg(spec.name)};
        auto innerLayers = mergeLayers(inner, depth + 1);
        if (!innerLayers)
            return innerLayers.error();
        for (MergeLayer l : *innerLayers) {
            // Seen from this overlay every layer of the inner one is read-only.
            l.role = LayerRole::Lower;
            if (l.viaOverlay.isEmpty())
                l.viaOverlay = m_overlays.at(inner).name;
            out.append(l);
        }
    }
    out += dataLayers;
    return out;
}

} // namespace strata
