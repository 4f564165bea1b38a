// SPDX-License-Identifier: GPL-2.0-or-later
#include "podmanstorageconf.h"

#include "core/image/metadatafile.h"

#include <QList>

#include <pwd.h>
#include <unistd.h>

namespace strata
{

namespace
{

// The home directory of `uid`: $HOME for the user running, else the password database's.
QString homeOf(uid_t uid)
{
    if (uid == ::geteuid() && !qEnvironmentVariableIsEmpty("HOME"))
        return qEnvironmentVariable("HOME");
    if (const passwd *pw = ::getpwuid(uid))
        return QString::fromLocal8Bit(pw->pw_dir);
    return {};
}

// An environment variable for the user running only: another user's is unknown.
QString envFor(uid_t uid, const char *name)
{
    return uid == ::geteuid() ? qEnvironmentVariable(name) : QString();
}

// `"text"` or `'text'` (TOML basic or literal string) without escapes.
QString unquoted(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) {
        const qsizetype end = v.indexOf(v.front(), 1);
        if (end > 0)
            return QString::fromUtf8(v.mid(1, end - 1));
    }
    return {};
}

} // namespace

PodmanStorageConf PodmanStorageConf::parse(const QByteArray &text)
{
    PodmanStorageConf conf;
    bool inStorage = false;
    for (const QByteArray &raw : text.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith('[')) {
            inStorage = line == "[storage]";
            continue;
        }
        const qsizetype eq = line.indexOf('=');
        if (!inStorage || eq < 0)
            continue;
        const QByteArray key = line.left(eq).trimmed();
        if (key == "graphroot")
            conf.graphRoot = unquoted(line.mid(eq + 1));
        else if (key == "driver")
            conf.driver = unquoted(line.mid(eq + 1));
    }
    return conf;
}

PodmanStorageConf PodmanStorageConf::forUser(uid_t uid)
{
    QStringList files;
    QString fallback;
    if (uid == 0) {
        files << QStringLiteral("/etc/containers/storage.conf") << QStringLiteral("/usr/share/containers/storage.conf");
        fallback = QStringLiteral("/var/lib/containers/storage");
    } else {
        const QString home = homeOf(uid);
        const QString config = envFor(uid, "XDG_CONFIG_HOME");
        files << (config.isEmpty() ? home + QStringLiteral("/.config") : config)
                + QStringLiteral("/containers/storage.conf");
        const QString data = envFor(uid, "XDG_DATA_HOME");
        fallback
            = (data.isEmpty() ? home + QStringLiteral("/.local/share") : data) + QStringLiteral("/containers/storage");
    }
    for (const QString &f : std::as_const(files)) {
        auto text = MetadataFile::read(f);
        if (!text)
            continue;
        PodmanStorageConf conf = parse(*text);
        conf.file = f;
        if (conf.graphRoot.isEmpty())
            conf.graphRoot = fallback;
        return conf;
    }
    PodmanStorageConf conf;
    conf.graphRoot = fallback;
    return conf;
}

} // namespace strata
