// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/builder/stackdraft.h"

#include "core/util/filename.h"
#include "ui/builder/optionrules.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace strata
{

namespace
{

bool sameRequest(const OverlayRequest &a, const OverlayRequest &b)
{
    return a.name == b.name && a.lowers == b.lowers && a.dataLowers == b.dataLowers && a.stackOn == b.stackOn
        && a.upper == b.upper && a.work == b.work && a.mountpoint == b.mountpoint && a.options == b.options;
}

} // namespace

bool StackDraft::operator==(const StackDraft &other) const
{
    return folder == other.folder
        && std::equal(overlays.cbegin(), overlays.cend(), other.overlays.cbegin(), other.overlays.cend(), sameRequest);
}

StackDraft StackDraft::fromFolder(const QString &folder)
{
    StackDraft d;
    d.folder = QDir::cleanPath(QDir(folder).absolutePath());
    OverlayRequest r;
    r.name = QStringLiteral("overlay");
    QStringList names = QDir(d.folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name);
    for (const QString &n : std::as_const(names))
        r.lowers << d.folder + QLatin1Char('/') + n;
    d.overlays << r;
    return d;
}

StackDraft StackDraft::fromWorkspace(const Workspace &workspace)
{
    StackDraft d;
    d.folder = workspace.baseDir();
    for (const OverlaySpec &s : workspace.overlays()) {
        OverlayRequest r;
        r.name = s.name;
        r.upper = s.upper;
        r.work = s.work;
        r.mountpoint = s.mountpoint;
        if (r.mountpoint == d.folder + QLatin1Char('/') + s.name + QStringLiteral("-merged"))
            r.mountpoint.clear(); // the default

        r.options = s.options.mountOptionList();
        r.dataLowers = s.dataLower;
        const int base = s.lower.size() == 1 ? d.overlays.size() : -1;
        for (int i = 0; base > 0 && i < base; ++i) {
            if (d.mountpointOf(i) == s.lower.first())
                r.stackOn = d.overlays.at(i).name;
        }
        if (r.stackOn.isEmpty())
            r.lowers = s.lower;
        d.overlays << r;
    }
    return d;
}

int StackDraft::indexOf(const QString &name) const
{
    for (int i = 0; i < overlays.size(); ++i) {
        if (overlays.at(i).name == name)
            return i;
    }
    return -1;
}

QString StackDraft::freeName() const
{
    if (indexOf(QStringLiteral("overlay")) < 0)
        return QStringLiteral("overlay");
    for (int n = 2;; ++n) {
        if (const QString name = QStringLiteral("overlay_%1").arg(n); indexOf(name) < 0)
            return name;
    }
}

QString StackDraft::mountpointOf(int i) const
{
    const OverlayRequest &r = overlays.at(i);
    return r.mountpoint.isEmpty() ? folder + QLatin1Char('/') + r.name + QStringLiteral("-merged") : r.mountpoint;
}

QStringList StackDraft::lowerDirs(int i) const
{
    const OverlayRequest &r = overlays.at(i);
    if (r.stackOn.isEmpty())
        return r.lowers;
    const int base = indexOf(r.stackOn);
    return QStringList {base < 0 ? QString() : mountpointOf(base)} + r.lowers;
}

QStringList StackDraft::layerRows(int i) const
{
    return lowerDirs(i) + overlays.at(i).dataLowers;
}

bool StackDraft::setDataOnly(int i, int lower, bool dataOnly)
{
    if (i < 0 || i >= overlays.size())
        return false;
    OverlayRequest &r = overlays[i];
    const int regular = int(lowerDirs(i).size());
    const int own = lower - (r.stackOn.isEmpty() ? 0 : 1); // index into r.lowers
    if (dataOnly) {
        // The kernel needs a regular lower above them: the last one stays.
        if (lower >= regular || own < 0 || regular < 2)
            return false;
        r.dataLowers.prepend(r.lowers.takeAt(own));
        return true;
    }
    const int data = lower - regular;
    if (data < 0 || data >= r.dataLowers.size())
        return false;
    r.lowers.append(r.dataLowers.takeAt(data));
    return true;
}

Result<Workspace> StackDraft::workspace() const
{
    QJsonArray list;
    for (int i = 0; i < overlays.size(); ++i) {
        const OverlayRequest &r = overlays.at(i);
        QJsonObject o;
        o.insert(QStringLiteral("name"), r.name);
        o.insert(QStringLiteral("lower"), QJsonArray::fromStringList(lowerDirs(i)));
        if (!r.dataLowers.isEmpty())
            o.insert(QStringLiteral("data_lowers"), QJsonArray::fromStringList(r.dataLowers));
        if (!r.upper.isEmpty() || !r.work.isEmpty()) {
            o.insert(QStringLiteral("upper"), r.upper);
            o.insert(QStringLiteral("work"), r.work);
        }
        o.insert(QStringLiteral("mountpoint"), mountpointOf(i));
        if (!r.options.isEmpty())
            o.insert(QStringLiteral("options"), OptionRules::json(r.options));
        list.append(o);
    }
    QJsonObject top;
    top.insert(QStringLiteral("version"), Workspace::FormatVersion);
    top.insert(QStringLiteral("overlays"), list);
    const QString file = folder + QLatin1Char('/') + Workspace::DefaultFileName;
    return Workspace::fromJson(QJsonDocument(top).toJson(), folder, file);
}

Result<Workspace> StackDraft::save(QStringList *created) const
{
    if (folder.isEmpty())
        return Error {EINVAL, QCoreApplication::translate("StackDraft", "choose the folder of the workspace first")};
    if (overlays.isEmpty())
        return Error {EINVAL, QCoreApplication::translate("StackDraft", "the stack has no overlay")};
    if (!QDir().mkpath(folder))
        return Error {EACCES, QCoreApplication::translate("StackDraft", "%1: cannot create the folder").arg(folder)};
    // Built beside the old file, then renamed over it: a refused overlay leaves the old file.
    const QString next = QStringLiteral("%1/.stratascope-new-%2.json").arg(folder).arg(::getpid());
    QFile::remove(next);
    QStringList made;
    for (const OverlayRequest &r : overlays) {
        QStringList madeHere;
        OverlayRequest one = r;
        if (one.mountpoint.isEmpty())
            one.mountpoint = mountpointOf(indexOf(r.name));
        auto added = one.addTo(next, &madeHere);
        made += madeHere;
        if (!added) {
            QFile::remove(next);
            if (created)
                *created = made;
            return Error {added.error().code, QStringLiteral("%1: %2").arg(r.name, added.error().message)};
        }
    }
    const QString file = folder + QLatin1Char('/') + Workspace::DefaultFileName;
    if (std::rename(encodeFileName(next).constData(), encodeFileName(file).constData()) != 0) {
        const int err = errno;
        QFile::remove(next);
        return Error::fromErrno(err, file);
    }
    if (created)
        *created = made;
    return Workspace::load(file);
}

} // namespace strata
