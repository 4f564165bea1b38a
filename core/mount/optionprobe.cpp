// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/mount/optionprobe.h"

#include "core/mount/childoutput.h"
#include "core/mount/kernelmounter.h"
#include "core/mount/optioncatalog.h"
#include "core/mount/stackmounter.h"
#include "core/util/filename.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace strata
{

namespace
{

// The fs context's own messages ("e overlay: Unknown parameter 'verity'"), without the prefix.
QStringList contextMessages(int fd)
{
    QStringList out;
    char buf[1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf - 1);
        if (n <= 0)
            break;
        out << QString::fromUtf8(buf, n).section(QLatin1Char(' '), 1).trimmed();
    }
    return out;
}

// One option on a fresh fs context: the errno and the kernel's words, or accepted.
OptionProbe::Answer tryOption(const QString &key, const QString &value, const QString &dir)
{
    OptionProbe::Answer a;
    a.option = value.isEmpty() ? key : key + QLatin1Char('=') + value;
    const int fd = ::fsopen("overlay", FSOPEN_CLOEXEC);
    if (fd < 0) {
        a.accepted = false;
        a.error = errno;
        a.reason = QStringLiteral("fsopen(\"overlay\"): %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return a;
    }
    const QByteArray k = key.toUtf8();
    // A data-only lower takes a directory, the others their value.
    const QByteArray v = key.endsWith(QLatin1Char('+')) ? encodeFileName(dir) : value.toUtf8();
    const bool flag = value.isEmpty() && !key.endsWith(QLatin1Char('+'));
    const int rc = flag ? ::fsconfig(fd, FSCONFIG_SET_FLAG, k.constData(), nullptr, 0)
                        : ::fsconfig(fd, FSCONFIG_SET_STRING, k.constData(), v.constData(), 0);
    if (rc != 0) {
        a.accepted = false;
        a.error = errno;
        const QStringList words = contextMessages(fd);
        a.reason = words.isEmpty() ? QString::fromLocal8Bit(std::strerror(a.error)) : words.join(QStringLiteral("; "));
    }
    ::close(fd);
    return a;
}

// A pair on a writable overlay of empty directories: refused pairs are refused at create.
OptionProbe::Answer tryPair(const QStringList &options, const QString &dir)
{
    KernelMounter::Request r;
    r.lowers << dir + QStringLiteral("/lower");
    // Writable: a read-only overlay takes redirect_dir=follow for on, and so more pairs.
    r.upper = dir + QStringLiteral("/upper");
    r.work = dir + QStringLiteral("/work");
    r.target = dir + QStringLiteral("/merged");
    r.options = options;
    const KernelMounter::Outcome o = KernelMounter::mount(r);
    if (o.ok)
        (void)KernelMounter::unmount(r.target);
    OptionProbe::Answer a;
    a.option = options.join(QLatin1Char(','));
    a.accepted = o.ok;
    a.error = o.error;
    if (!o.ok) {
        // The kernel's words only: the builder says the rest.
        const QStringList &words = o.messages;
        a.reason = words.isEmpty() ? QString::fromLocal8Bit(std::strerror(o.error)) : words.join(QStringLiteral("; "));
    }
    return a;
}

QByteArray record(const OptionProbe::Answer &a)
{
    QJsonObject o;
    o.insert(QStringLiteral("option"), a.option);
    o.insert(QStringLiteral("accepted"), a.accepted);
    o.insert(QStringLiteral("error"), a.error);
    o.insert(QStringLiteral("reason"), a.reason);
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

// Everything the child asks, as JSON lines.
QByteArray askEverything(const QString &dir)
{
    QByteArray out;
    for (const OptionCatalog::Entry &e : OptionCatalog::entries()) {
        if (e.isFlag()) {
            out += record(tryOption(e.key, {}, dir + QStringLiteral("/lower")));
            continue;
        }
        for (const QString &v : e.values)
            out += record(tryOption(e.key, v, dir));
    }
    for (const QStringList &pair : OptionProbe::pairs())
        out += record(tryPair(pair, dir));
    return out;
}

OptionProbe::Support ask(Backend backend)
{
    OptionProbe::Support s;
    s.kernelRelease = OptionProbe::kernelRelease();
    QTemporaryDir tmp;
    if (!tmp.isValid() || !QDir(tmp.path()).mkpath(QStringLiteral("lower"))
        || !QDir(tmp.path()).mkpath(QStringLiteral("upper")) || !QDir(tmp.path()).mkpath(QStringLiteral("work"))
        || !QDir(tmp.path()).mkpath(QStringLiteral("merged"))) {
        s.problem = QStringLiteral("cannot make a temporary directory to probe in");
        return s;
    }
    const QString dir = tmp.path();
    ChildOutput output;
    if (output.fd() < 0) {
        s.problem = QStringLiteral("memfd_create: %1").arg(QString::fromLocal8Bit(std::strerror(output.error())));
        return s;
    }
    const int out = output.fd();
    const Workspace none;
    StackMounter mounter(none);
    auto ran = mounter.runInNamespace(backend, -1, [&]() {
        QFile f;
        if (!f.open(out, QIODevice::WriteOnly, QFileDevice::DontCloseHandle))
            return 1;
        f.write(askEverything(dir));
        f.flush();
        return 0;
    });
    const QByteArray lines = output.takeAll();
    if (!ran) {
        s.problem = ran.error().message;
        return s;
    }
    for (const QByteArray &line : lines.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty())
            continue;
        s.answers << OptionProbe::Answer {o.value(QStringLiteral("option")).toString(),
            o.value(QStringLiteral("accepted")).toBool(),
            o.value(QStringLiteral("error")).toInt(),
            o.value(QStringLiteral("reason")).toString()};
    }
    return s;
}

} // namespace

const OptionProbe::Answer *OptionProbe::Support::find(const QString &option) const
{
    for (const Answer &a : answers) {
        if (a.option == option)
            return &a;
    }
    return nullptr;
}

QString OptionProbe::Support::refusal(const QString &option) const
{
    const Answer *a = find(option);
    return a && !a->accepted ? a->reason : QString();
}

QList<QStringList> OptionProbe::pairs()
{
    return {{QStringLiteral("userxattr"), QStringLiteral("metacopy=on")},
        {QStringLiteral("metacopy=on"), QStringLiteral("redirect_dir=off")},
        {QStringLiteral("metacopy=on"), QStringLiteral("redirect_dir=nofollow")},
        {QStringLiteral("metacopy=on"), QStringLiteral("redirect_dir=follow")},
        {QStringLiteral("userxattr"), QStringLiteral("redirect_dir=on")},
        {QStringLiteral("userxattr"), QStringLiteral("redirect_dir=follow")},
        {QStringLiteral("nfs_export=on"), QStringLiteral("index=off")},
        {QStringLiteral("nfs_export=on"), QStringLiteral("metacopy=on")}};
}

QString OptionProbe::kernelRelease()
{
    struct utsname u {
    };
    return ::uname(&u) == 0 ? QString::fromLocal8Bit(u.release) : QString();
}

OptionProbe::Support OptionProbe::probe(Backend backend)
{
    if (backend == Backend::Auto)
        backend = ::geteuid() == 0 ? Backend::Kernel : Backend::Userns;
    static QMutex mutex;
    static QHash<QString, Support> cache; // per kernel release and backend
    const QString key = kernelRelease() + QLatin1Char('/') + backendName(backend);
    {
        QMutexLocker lock(&mutex);
        if (auto it = cache.constFind(key); it != cache.cend())
            return *it;
    }
    Support s = ask(backend);
    if (s.problem.isEmpty()) {
        QMutexLocker lock(&mutex);
        cache.insert(key, s);
    }
    return s;
}

} // namespace strata
