// SPDX-License-Identifier: GPL-2.0-or-later
#include "lessonchange.h"

#include "core/fs/treecopy.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cerrno>
#include <functional>

namespace strata
{

namespace
{
// The workspace with its file's "overlays" array changed by `change`, checked as a workspace
// file is and saved in place.
Result<Workspace> rewritten(const Workspace &workspace, const std::function<Status(QJsonArray &)> &change)
{
    QJsonObject top = QJsonDocument::fromJson(workspace.toJson()).object();
    QJsonArray overlays = top.value(QStringLiteral("overlays")).toArray();
    if (Status s = change(overlays); !s.ok())
        return s.error();
    top.insert(QStringLiteral("overlays"), overlays);
    auto changed = Workspace::fromJson(QJsonDocument(top).toJson(), workspace.baseDir(), workspace.filePath());
    if (!changed)
        return changed.error();
    if (!workspace.filePath().isEmpty()) {
        if (Status s = changed->save(workspace.filePath()); !s.ok())
            return s.error();
    }
    return changed;
}

// Only what lies inside the workspace folder is ever created or removed.
bool insideWorkspace(const Workspace &workspace, const QString &path)
{
    const QString base = QFileInfo(workspace.baseDir()).absoluteFilePath() + QLatin1Char('/');
    return QFileInfo(path).absoluteFilePath().startsWith(base);
}

// Whether an overlay of `workspace` uses `path` as its upper or work directory or mountpoint.
bool usedBy(const Workspace &workspace, const QString &path)
{
    const QString p = QFileInfo(path).absoluteFilePath();
    for (const OverlaySpec &o : workspace.overlays()) {
        for (const QString &dir : {o.upper, o.work, o.mountpoint}) {
            if (!dir.isEmpty() && QFileInfo(dir).absoluteFilePath() == p)
                return true;
        }
    }
    return false;
}

Status freshDirectory(const Workspace &workspace, const QString &path)
{
    // One an overlay uses already (a shared work directory) is left as it is.
    if (usedBy(workspace, path))
        return {};
    if (!insideWorkspace(workspace, path))
        return Error {EINVAL, QStringLiteral("%1: a lesson makes directories in its own folder only").arg(path)};
    if (QFileInfo(path).isDir())
        return TreeCopy::clearContents(encodeFileName(path));
    if (!QDir().mkpath(path))
        return Error {EACCES, QStringLiteral("cannot create directory %1").arg(path)};
    return {};
}
} // namespace

Result<Workspace> LessonChange::withOptions(const Workspace &workspace, int overlay, const QJsonObject &options)
{
    return rewritten(workspace, [&](QJsonArray &overlays) -> Status {
        if (overlay >= overlays.size())
            return Error {EINVAL, QStringLiteral("no overlay number %1").arg(overlay)};
        for (int i = 0; i < overlays.size(); ++i) {
            if (overlay >= 0 && i != overlay)
                continue;
            QJsonObject o = overlays.at(i).toObject();
            QJsonObject opts = o.value(QStringLiteral("options")).toObject();
            for (auto it = options.begin(); it != options.end(); ++it)
                opts.insert(it.key(), it.value());
            o.insert(QStringLiteral("options"), opts);
            overlays.replace(i, o);
        }
        return {};
    });
}

Result<Workspace> LessonChange::withStack(const Workspace &workspace, const Lesson::Stack &stack)
{
    const int lower = workspace.indexOf(stack.lower);
    if (lower < 0)
        return Error {EINVAL, QStringLiteral("stack: there is no overlay \"%1\" to stand on").arg(stack.lower)};
    if (workspace.indexOf(stack.name) >= 0)
        return Error {EEXIST, QStringLiteral("stack: there is an overlay \"%1\" already").arg(stack.name)};
    const OverlaySpec &below = workspace.overlays().at(lower);
    OverlaySpec spec;
    spec.name = stack.name;
    spec.lower = {below.mountpoint};
    spec.upper = workspace.absolutePath(stack.upper);
    spec.work = workspace.absolutePath(stack.work);
    spec.mountpoint = workspace.absolutePath(stack.name);
    spec.options = below.options;
    for (const QString &dir : {spec.upper, spec.work, spec.mountpoint}) {
        if (Status s = freshDirectory(workspace, dir); !s.ok())
            return s.error();
    }
    Workspace added = workspace;
    added.addOverlay(spec);
    return rewritten(added, [](QJsonArray &) -> Status { return {}; });
}

Result<Workspace> LessonChange::apply(const Workspace &workspace, const Lesson::Step &step, int shown)
{
    Workspace ws = workspace;
    if (!step.stack.isEmpty()) {
        auto stacked = withStack(ws, step.stack);
        if (!stacked)
            return stacked.error();
        ws = *stacked;
    }
    if (step.options.isEmpty())
        return ws;
    const int overlay = step.overlay.isEmpty() ? shown : ws.indexOf(step.overlay);
    if (overlay < 0)
        return Error {EINVAL, QStringLiteral("options: there is no overlay \"%1\"").arg(step.overlay)};
    return withOptions(ws, overlay, step.options);
}

Status LessonChange::restore(const Workspace &now, const Workspace &before)
{
    for (const OverlaySpec &spec : now.overlays()) {
        if (before.indexOf(spec.name) >= 0)
            continue;
        for (const QString &dir : {spec.upper, spec.work}) {
            if (dir.isEmpty() || !insideWorkspace(now, dir) || usedBy(before, dir))
                continue; // another overlay's too: it stays
            if (!QDir(dir).removeRecursively())
                return Error {EIO, QStringLiteral("cannot remove %1").arg(now.displayPath(dir))};
        }
        // Only when empty: whatever is on a mountpoint is never deleted through it.
        if (insideWorkspace(now, spec.mountpoint))
            (void)QDir().rmdir(spec.mountpoint);
    }
    Workspace back = before;
    return back.save(before.filePath());
}

} // namespace strata
