// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/mount/stackchecker.h"

#include "core/mount/childoutput.h"
#include "core/mount/kernelmounter.h"
#include "core/mount/stackmounter.h"
#include "core/stack/mountcommand.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cerrno>
#include <unistd.h>

namespace strata
{

namespace
{

// One line per overlay from the child: what the kernel said.
QByteArray record(const KernelMounter::Outcome &o)
{
    QJsonObject r;
    r.insert(QStringLiteral("ok"), o.ok);
    r.insert(QStringLiteral("error"), o.error);
    r.insert(QStringLiteral("step"), o.step);
    r.insert(QStringLiteral("messages"), QJsonArray::fromStringList(o.ok ? o.warnings : o.messages));
    r.insert(QStringLiteral("explanation"), o.explanation);
    return QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
}

void writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += n;
    }
}

} // namespace

Result<QVector<StackChecker::Overlay>> StackChecker::check(const Workspace &workspace, Backend backend)
{
    if (backend == Backend::Auto)
        backend = ::geteuid() == 0 ? Backend::Kernel : Backend::Userns;
    if (backend != Backend::Kernel && backend != Backend::Userns)
        return Error {EINVAL, QStringLiteral("the kernel checks with the kernel or userns backend only")};
    StackMounter mounter(workspace);
    const auto &specs = workspace.overlays();
    QList<KernelMounter::Request> requests;
    for (int i = 0; i < specs.size(); ++i)
        requests << mounter.request(int(i), backend);
    ChildOutput output;
    if (output.fd() < 0)
        return Error::fromErrno(output.error(), QStringLiteral("memfd_create"));
    const int out = output.fd();
    auto ran = mounter.runInNamespace(backend, -1, [&]() {
        QSet<QString> refused; // mountpoints the kernel refused: what stacks on them is not tried
        for (int i = 0; i < requests.size(); ++i) {
            const KernelMounter::Request &r = requests.at(i);
            bool onRefused = false;
            for (const QString &l : r.lowers)
                onRefused = onRefused || refused.contains(l);
            if (onRefused) {
                writeAll(out, "{\"tried\":false}\n");
                refused.insert(r.target);
                continue;
            }
            const KernelMounter::Outcome o = KernelMounter::mount(r);
            if (!o.ok)
                refused.insert(r.target);
            writeAll(out, record(o));
        }
        return 0;
    });
    const QByteArray lines = output.takeAll();
    if (!ran)
        return ran.error();
    QVector<Overlay> result;
    const QList<QByteArray> records = lines.split('\n');
    for (int i = 0; i < specs.size(); ++i) {
        Overlay o;
        o.name = specs.at(i).name;
        o.mountCommand = MountCommand::shellCommand(specs.at(i));
        const QJsonObject r = i < records.size() ? QJsonDocument::fromJson(records.at(i)).object() : QJsonObject();
        if (r.isEmpty())
            return Error {EIO, QStringLiteral("%1: the check ended before this overlay").arg(o.name)};
        o.tried = r.value(QStringLiteral("tried")).toBool(true);
        o.accepted = r.value(QStringLiteral("ok")).toBool();
        o.error = r.value(QStringLiteral("error")).toInt();
        o.step = r.value(QStringLiteral("step")).toString();
        for (const QJsonValue m : r.value(QStringLiteral("messages")).toArray())
            o.kernelMessages << m.toString();
        o.explanation = o.tried ? r.value(QStringLiteral("explanation")).toString()
                                : QStringLiteral("not tried: it stacks on an overlay the kernel refused");
        result << o;
    }
    return result;
}

} // namespace strata
