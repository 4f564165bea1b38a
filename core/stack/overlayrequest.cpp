// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/stack/overlayrequest.h"

#include "core/stack/overlayoptions.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <optional>

namespace strata
{

namespace
{

QString absolute(const QString &path)
{
    return QDir::cleanPath(QDir::current().absoluteFilePath(path));
}

Result<QJsonObject> optionsJson(const QStringList &options)
{
    QJsonObject o;
    for (const QString &option : options) {
        const qsizetype eq = option.indexOf(QLatin1Char('='));
        const QString key = eq < 0 ? option : option.left(eq);
        if (key.isEmpty())
            return Error {EINVAL, QStringLiteral("--option %1: expected KEY=VALUE").arg(option)};
        if (eq < 0)
            o.insert(key, true);
        else if (key == QLatin1String("userxattr") || key == QLatin1String("volatile"))
            o.insert(key, option.mid(eq + 1) == QLatin1String("on") || option.mid(eq + 1) == QLatin1String("true"));
        else
            o.insert(key, option.mid(eq + 1));
    }
    // The file's reader says what is wrong with them, in the same words.
    if (auto checked = OverlayOptions::fromJson(o, QStringLiteral("--option")); !checked)
        return checked.error();
    return o;
}

QString defaultName(const Workspace &ws)
{
    if (ws.indexOf(QStringLiteral("overlay")) < 0)
        return QStringLiteral("overlay");
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("overlay_%1").arg(n);
        if (ws.indexOf(name) < 0)
            return name;
    }
}

Status mustBeDirectory(const QString &path, const QString &what)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return Error {ENOENT, QStringLiteral("%1 %2: no such directory").arg(what, path)};
    if (!fi.isDir())
        return Error {ENOTDIR, QStringLiteral("%1 %2: not a directory").arg(what, path)};
    return {};
}

} // namespace

Result<Workspace> OverlayRequest::addTo(const QString &path, QStringList *created) const
{
    const QString given = absolute(path);
    const QString file = QFileInfo(given).isDir() || !given.endsWith(QLatin1String(".json"))
        ? given + QLatin1Char('/') + Workspace::DefaultFileName
        : given;
    const QString dir = QFileInfo(file).absolutePath();
    QJsonArray overlays;
    std::optional<Workspace> current;
    if (QFileInfo::exists(file)) {
        auto loaded = Workspace::load(file);
        if (!loaded)
            return loaded.error();
        current = *loaded;
        overlays = QJsonDocument::fromJson(current->toJson()).object().value(QStringLiteral("overlays")).toArray();
    }
    if (lowers.isEmpty() == stackOn.isEmpty())
        return Error {
            EINVAL, QStringLiteral("give the lower layers (--lower DIR, top first) or --stack-on NAME, not both")};
    if (upper.isEmpty() != work.isEmpty())
        return Error {EINVAL, QStringLiteral("--upper and --work go together (a read-only overlay has neither)")};

    QJsonObject o;
    const QString overlayName = !name.isEmpty() ? name : current ? defaultName(*current) : QStringLiteral("overlay");
    o.insert(QStringLiteral("name"), overlayName);
    QJsonArray lowerArray;
    if (!stackOn.isEmpty()) {
        const int base = current ? current->indexOf(stackOn) : -1;
        if (base < 0)
            return Error {ENOENT, QStringLiteral("--stack-on %1: the workspace has no such overlay").arg(stackOn)};
        lowerArray.append(current->overlays().at(base).mountpoint);
    }
    for (const QString &l : lowers) {
        if (Status s = mustBeDirectory(absolute(l), QStringLiteral("lower")); !s)
            return s.error();
        lowerArray.append(absolute(l));
    }
    o.insert(QStringLiteral("lower"), lowerArray);
    QJsonArray dataArray;
    for (const QString &d : dataLowers) {
        if (Status s = mustBeDirectory(absolute(d), QStringLiteral("data-only lower")); !s)
            return s.error();
        dataArray.append(absolute(d));
    }
    if (!dataArray.isEmpty())
        o.insert(QStringLiteral("data_lowers"), dataArray);
    if (!upper.isEmpty()) {
        o.insert(QStringLiteral("upper"), absolute(upper));
        o.insert(QStringLiteral("work"), absolute(work));
    }
    const QString target = mountpoint.isEmpty() ? dir + QLatin1Char('/') + overlayName + QStringLiteral("-merged")
                                                : absolute(mountpoint);
    o.insert(QStringLiteral("mountpoint"), target);
    auto opts = optionsJson(options);
    if (!opts)
        return opts.error();
    if (!opts->isEmpty())
        o.insert(QStringLiteral("options"), *opts);
    overlays.append(o);

    QJsonObject top;
    top.insert(QStringLiteral("version"), Workspace::FormatVersion);
    top.insert(QStringLiteral("overlays"), overlays);
    auto next = Workspace::fromJson(QJsonDocument(top).toJson(), dir, file);
    if (!next)
        return next.error();
    // Only what is ours to make: never a lower.
    QStringList made;
    QStringList wanted {dir, target};
    if (!upper.isEmpty())
        wanted << absolute(upper) << absolute(work);
    for (const QString &d : std::as_const(wanted)) {
        if (QFileInfo::exists(d))
            continue;
        if (!QDir().mkpath(d))
            return Error {EACCES, QStringLiteral("%1: cannot create the directory").arg(d)};
        made << d;
    }
    if (Status s = next->save(file); !s)
        return s.error();
    if (created)
        *created = made;
    return next;
}

} // namespace strata
