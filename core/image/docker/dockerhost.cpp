// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerhost.h"

#include "core/image/docker/chainid.h"
#include "core/image/docker/createdby.h"
#include "core/image/docker/metadatafile.h"
#include "core/util/jsonstring.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata
{

namespace
{

bool isHex(const QString &s)
{
    if (s.isEmpty())
        return false;
    for (const QChar c : s) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

bool isHex64(const QString &s)
{
    return s.size() == 64 && isHex(s);
}

// A directory name read from a metadata file: it must stay one component below overlay2/,
// whatever a corrupt or hostile copy says.
bool isSafeName(const QString &s)
{
    return !s.isEmpty() && !s.contains(QLatin1Char('/')) && s != QLatin1String(".") && s != QLatin1String("..")
        && !s.contains(QChar(0));
}

// 0 when the path is there (any type), else errno.
int lstatError(const QString &path, struct stat *st = nullptr)
{
    struct stat local {
    };
    return ::lstat(QFile::encodeName(path).constData(), st ? st : &local) == 0 ? 0 : errno;
}

bool isDirectory(const QString &path)
{
    struct stat st {
    };
    return lstatError(path, &st) == 0 && S_ISDIR(st.st_mode);
}

QDateTime parseTime(const QString &s)
{
    // Go writes RFC 3339 with up to nine fraction digits; Qt reads up to three.
    QString t = s;
    const qsizetype dot = t.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < t.size() && t.at(end).isDigit())
            ++end;
        if (end - dot - 1 > 3)
            t.remove(dot + 4, end - dot - 4);
    }
    return QDateTime::fromString(t, Qt::ISODateWithMs);
}

QString stringField(const QJsonObject &o, const QString &key)
{
    return o.value(key).toString();
}

// "docker.io/library/alpine:3" -> "alpine:3", the familiar form repositories.json keeps.
QString familiar(QString name)
{
    if (name.startsWith(QLatin1String("docker.io/library/")))
        name = name.mid(18);
    else if (name.startsWith(QLatin1String("index.docker.io/library/")))
        name = name.mid(24);
    else if (name.startsWith(QLatin1String("docker.io/")))
        name = name.mid(10);
    return name;
}

} // namespace

QString DockerHost::defaultRoot()
{
    return QStringLiteral("/var/lib/docker");
}

MergeOptions DockerHost::mountOptions()
{
    // The module's parameters, when the module is loaded; else the kernel's defaults.
    auto param = [](const char *name, bool fallback) {
        auto v = MetadataFile::readLine(QStringLiteral("/sys/module/overlay/parameters/") + QLatin1String(name));
        return v ? v->startsWith(QLatin1Char('Y')) : fallback;
    };
    MergeOptions o;
    o.xattrs = XattrNamespace::Trusted;
    // Lookup follows redirects when redirect_dir is on, or with redirect_always_follow.
    o.followRedirects = param("redirect_dir", false) || param("redirect_always_follow", true);
    o.metacopy = param("metacopy", false);
    return o;
}

QString DockerHost::overlayRoot() const
{
    return m_root + QStringLiteral("/overlay2");
}

QString DockerHost::imageRoot() const
{
    return m_root + QStringLiteral("/image/overlay2");
}

QString DockerHost::layerDir(const QString &cacheId) const
{
    return overlayRoot() + QLatin1Char('/') + cacheId;
}

QString DockerHost::diffDir(const QString &cacheId) const
{
    return layerDir(cacheId) + QStringLiteral("/diff");
}

void DockerHost::problem(const QString &path, const QString &message)
{
    m_problems.push_back(DockerProblem {path, message});
}

void DockerHost::problem(const Error &error)
{
    // Errors from MetadataFile already start with the path.
    m_problems.push_back(DockerProblem {QString(), error.message});
}

QStringList DockerHost::listDir(const QString &path, bool reportMissing)
{
    QStringList names;
    DIR *d = ::opendir(QFile::encodeName(path).constData());
    if (!d) {
        const int err = errno;
        if (err != ENOENT || reportMissing)
            problem(Error::fromErrno(err, QStringLiteral("cannot list %1").arg(path)));
        return names;
    }
    errno = 0;
    while (dirent *e = ::readdir(d)) {
        const char *n = e->d_name;
        if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0)))
            continue;
        names << QFile::decodeName(n);
    }
    ::closedir(d);
    names.sort();
    return names;
}

Result<DockerHost> DockerHost::open(const QString &rootArg)
{
    const QString root = QDir::cleanPath(QDir(rootArg.isEmpty() ? defaultRoot() : rootArg).absolutePath());
    struct stat st {
    };
    if (::stat(QFile::encodeName(root).constData(), &st) != 0)
        return Error::fromErrno(errno, root);
    if (!S_ISDIR(st.st_mode))
        return Error {ENOTDIR, QStringLiteral("%1: not a directory").arg(root)};

    DockerHost h;
    h.m_root = root;
    const int image = lstatError(root + QStringLiteral("/image"));
    const int overlay = lstatError(root + QStringLiteral("/overlay2"));
    const int containers = lstatError(root + QStringLiteral("/containers"));
    if (image == EACCES || overlay == EACCES || containers == EACCES) {
        h.problem(root,
            QStringLiteral("cannot look inside: %1 (a Docker root is readable by root only; run as root, or "
                           "use --root on a readable copy)")
                .arg(QString::fromLocal8Bit(std::strerror(EACCES))));
        return h;
    }
    if (image == ENOENT && overlay == ENOENT && containers == ENOENT)
        return Error {
            ENOENT, QStringLiteral("%1: not a Docker root (it has no image/, overlay2/ or containers/)").arg(root)};
    if (lstatError(h.imageRoot()) == ENOENT) {
        if (lstatError(root + QStringLiteral("/containerd")) == 0 || lstatError(root + QStringLiteral("/rootfs")) == 0)
            h.problem(h.imageRoot(),
                QStringLiteral("missing: this Docker root seems to use the containerd image store (the default of "
                               "Docker 29), which is not supported yet; only containers are shown"));
        else
            h.problem(h.imageRoot(), QStringLiteral("missing: no overlay2 image store here"));
    }

    h.loadRepositories();
    h.loadLayers();
    h.loadImages();
    h.loadOverlayDirs();
    h.loadContainers();
    h.finishImages();
    h.finishContainers();
    return h;
}

void DockerHost::loadRepositories()
{
    const QString path = imageRoot() + QStringLiteral("/repositories.json");
    if (lstatError(path) == ENOENT)
        return; // a host that never had a tagged image
    auto obj = MetadataFile::readObject(path);
    if (!obj) {
        problem(Error {obj.error().code, obj.error().message + QStringLiteral(" (images are shown without tags)")});
        return;
    }
    const QJsonValue repos = obj->value(QStringLiteral("Repositories"));
    if (!repos.isObject()) {
        problem(path, QStringLiteral("Repositories: expected an object, got %1").arg(jsonTypeName(repos)));
        return;
    }
    const QJsonObject r = repos.toObject();
    for (auto it = r.begin(); it != r.end(); ++it) {
        if (!it.value().isObject()) {
            problem(path,
                QStringLiteral("Repositories.%1: expected an object, got %2").arg(it.key(), jsonTypeName(it.value())));
            continue;
        }
        const QJsonObject refs = it.value().toObject();
        for (auto rit = refs.begin(); rit != refs.end(); ++rit) {
            const QString id = rit.value().toString();
            if (!ChainId::isDigest(id)) {
                problem(path, QStringLiteral("Repositories.%1.%2: not an image ID").arg(it.key(), rit.key()));
                continue;
            }
            if (rit.key().contains(QLatin1Char('@')))
                m_digests[id] << rit.key();
            else
                m_tags[id] << rit.key();
        }
    }
}

void DockerHost::loadLayers()
{
    const QString base = imageRoot() + QStringLiteral("/layerdb/sha256");
    if (lstatError(imageRoot()) == ENOENT)
        return;
    for (const QString &name : listDir(base)) {
        // "<chain>-removing" is a deletion in progress; tmp/ is the transaction area.
        if (!isHex64(name))
            continue;
        const QString dir = base + QLatin1Char('/') + name;
        DockerLayer l;
        l.chainId = QStringLiteral("sha256:") + name;
        auto note = [&](const Error &e) {
            l.problems << e.message;
            problem(e);
        };
        if (auto diff = MetadataFile::readLine(dir + QStringLiteral("/diff"))) {
            l.diffId = *diff;
            if (!ChainId::isDigest(l.diffId))
                note(
                    Error {EINVAL, QStringLiteral("%1/diff: not a sha256 digest: \"%2\"").arg(dir, l.diffId.left(80))});
        } else {
            note(diff.error());
        }
        if (auto cache = MetadataFile::readLine(dir + QStringLiteral("/cache-id"))) {
            if (isSafeName(*cache))
                l.cacheId = *cache;
            else
                note(Error {
                    EINVAL, QStringLiteral("%1/cache-id: not a directory name: \"%2\"").arg(dir, cache->left(80))});
        } else {
            note(cache.error());
        }
        if (auto parent = MetadataFile::readLine(dir + QStringLiteral("/parent"))) {
            l.parent = *parent;
        } else if (parent.error().code != ENOENT) {
            note(parent.error()); // absent for a base layer
        }
        if (auto size = MetadataFile::readLine(dir + QStringLiteral("/size"))) {
            bool ok = false;
            l.size = size->toLongLong(&ok);
            if (!ok) {
                l.size = -1;
                note(Error {EINVAL, QStringLiteral("%1/size: not a number: \"%2\"").arg(dir, size->left(40))});
            }
        } else {
            note(size.error());
        }
        m_layers.insert(l.chainId, l);
    }
}

void DockerHost::loadImages()
{
    if (lstatError(imageRoot()) == ENOENT)
        return;
    const QString content = imageRoot() + QStringLiteral("/imagedb/content/sha256");
    const QString metadata = imageRoot() + QStringLiteral("/imagedb/metadata/sha256");
    for (const QString &name : listDir(content)) {
        if (!isHex64(name))
            continue;
        const QString path = content + QLatin1Char('/') + name;
        DockerImage img;
        img.id = QStringLiteral("sha256:") + name;
        if (auto parent = MetadataFile::readLine(metadata + QLatin1Char('/') + name + QStringLiteral("/parent"))) {
            img.parentId = *parent;
        } else if (parent.error().code != ENOENT) {
            problem(parent.error());
        }

        auto data = MetadataFile::read(path);
        if (!data) {
            img.error = data.error().message;
            problem(data.error());
            m_images.push_back(img);
            continue;
        }
        const QString digest = QString::fromLatin1(QCryptographicHash::hash(*data, QCryptographicHash::Sha256).toHex());
        if (digest != name) {
            img.problems << QStringLiteral("%1: content does not match its name (its sha256 is %2)").arg(path, digest);
            problem(path, QStringLiteral("content does not match its name (its sha256 is %1)").arg(digest));
        }
        auto obj = MetadataFile::parseObject(*data, path);
        if (!obj) {
            img.error = obj.error().message;
            problem(obj.error());
            m_images.push_back(img);
            continue;
        }
        auto fieldError = [&](const QString &key, const QString &what) {
            const QString msg = QStringLiteral("%1: %2: %3").arg(path, key, what);
            if (img.error.isEmpty())
                img.error = msg;
            problem(Error {EINVAL, msg});
        };
        img.created = stringField(*obj, QStringLiteral("created"));
        img.os = stringField(*obj, QStringLiteral("os"));
        img.architecture = stringField(*obj, QStringLiteral("architecture"));
        const QJsonValue config = obj->value(QStringLiteral("config"));
        if (config.isObject())
            img.user = config.toObject().value(QStringLiteral("User")).toString();

        const QJsonValue rootfs = obj->value(QStringLiteral("rootfs"));
        const QJsonValue diffIds = rootfs.toObject().value(QStringLiteral("diff_ids"));
        if (!rootfs.isObject()) {
            fieldError(
                QStringLiteral("rootfs"), QStringLiteral("expected an object, got %1").arg(jsonTypeName(rootfs)));
        } else if (!diffIds.isArray() && !diffIds.isNull() && !diffIds.isUndefined()) {
            fieldError(QStringLiteral("rootfs.diff_ids"),
                QStringLiteral("expected an array, got %1").arg(jsonTypeName(diffIds)));
        } else {
            const QJsonArray arr = diffIds.toArray();
            for (qsizetype i = 0; i < arr.size(); ++i) {
                const QString d = arr.at(i).toString();
                if (!ChainId::isDigest(d)) {
                    fieldError(QStringLiteral("rootfs.diff_ids[%1]").arg(i), QStringLiteral("not a sha256 digest"));
                    img.diffIds.clear();
                    break;
                }
                img.diffIds << d;
            }
        }
        const QJsonValue history = obj->value(QStringLiteral("history"));
        if (history.isArray()) {
            const QJsonArray arr = history.toArray();
            for (qsizetype i = 0; i < arr.size(); ++i) {
                const QJsonObject h = arr.at(i).toObject();
                DockerHistoryEntry e;
                e.created = stringField(h, QStringLiteral("created"));
                e.createdByRaw = stringField(h, QStringLiteral("created_by"));
                e.createdBy = CreatedBy::clean(e.createdByRaw);
                e.comment = stringField(h, QStringLiteral("comment"));
                e.emptyLayer = h.value(QStringLiteral("empty_layer")).toBool();
                img.history.push_back(e);
            }
        } else if (!history.isUndefined() && !history.isNull()) {
            fieldError(
                QStringLiteral("history"), QStringLiteral("expected an array, got %1").arg(jsonTypeName(history)));
        }
        m_images.push_back(img);
    }
}

void DockerHost::loadOverlayDirs()
{
    const QString base = overlayRoot();
    if (lstatError(base) == ENOENT)
        return;
    // Without l/ (unreadable or missing) nothing resolves; that is one problem, not one per layer.
    const bool linksReadable = ::access(QFile::encodeName(base + QStringLiteral("/l")).constData(), R_OK | X_OK) == 0;
    for (const QString &name : listDir(base + QStringLiteral("/l"))) {
        const QByteArray target = QFile::encodeName(base + QStringLiteral("/l/") + name);
        char buf[4096];
        const ssize_t n = ::readlink(target.constData(), buf, sizeof buf - 1);
        if (n < 0) {
            problem(Error::fromErrno(errno, QStringLiteral("%1/l/%2: not a symbolic link").arg(base, name)));
            continue;
        }
        // "../<dir>/diff"
        const QString t = QFile::decodeName(QByteArray(buf, n));
        const QStringList parts = t.split(QLatin1Char('/'));
        if (parts.size() != 3 || parts.at(0) != QLatin1String("..") || parts.at(2) != QLatin1String("diff")
            || !isSafeName(parts.at(1))) {
            problem(base + QStringLiteral("/l/") + name,
                QStringLiteral("points to \"%1\", expected ../<directory>/diff").arg(t));
            continue;
        }
        m_links.insert(name, parts.at(1));
    }
    for (const QString &name : listDir(base)) {
        if (name == QLatin1String("l"))
            continue;
        const QString dir = base + QLatin1Char('/') + name;
        struct stat st {
        };
        if (lstatError(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        OverlayDir d;
        d.cacheId = name;
        d.hasDiff = isDirectory(dir + QStringLiteral("/diff"));
        d.hasWork = isDirectory(dir + QStringLiteral("/work"));
        d.hasMerged = isDirectory(dir + QStringLiteral("/merged"));
        d.committed = lstatError(dir + QStringLiteral("/committed")) == 0;
        auto note = [&](const Error &e) {
            d.problems << e.message;
            problem(e);
        };
        if (auto link = MetadataFile::readLine(dir + QStringLiteral("/link"))) {
            d.link = *link;
            d.linkOk = m_links.value(d.link) == name;
            if (!d.linkOk && linksReadable)
                note(Error {ENOENT, QStringLiteral("%1/link: l/%2 does not lead to this directory").arg(dir, d.link)});
        } else {
            note(link.error());
        }
        if (auto lower = MetadataFile::readLine(dir + QStringLiteral("/lower"))) {
            d.hasLowerFile = true;
            d.lowerLinks = lower->split(QLatin1Char(':'), Qt::SkipEmptyParts);
            for (const QString &l : std::as_const(d.lowerLinks)) {
                const QString shortName = l.startsWith(QLatin1String("l/")) ? l.mid(2) : QString();
                const QString target = m_links.value(shortName);
                d.lowerCacheIds << target;
                if (target.isEmpty() && linksReadable)
                    note(Error {ENOENT, QStringLiteral("%1/lower: \"%2\" does not resolve through l/").arg(dir, l)});
            }
        } else if (lower.error().code != ENOENT) {
            note(lower.error()); // a base layer has no lower file
        }
        m_dirs.insert(name, d);
    }
}

void DockerHost::loadContainers()
{
    const QString mounts = imageRoot() + QStringLiteral("/layerdb/mounts");
    const QString configs = m_root + QStringLiteral("/containers");
    QStringList ids;
    if (lstatError(imageRoot()) != ENOENT)
        ids += listDir(mounts, false);
    ids += listDir(configs, false);
    ids.removeDuplicates();
    for (const QString &id : std::as_const(ids)) {
        if (!isHex64(id))
            continue;
        DockerContainer c;
        c.id = id;
        auto note = [&](const Error &e) {
            c.problems << e.message;
            problem(e);
        };
        const QString config = configs + QLatin1Char('/') + id + QStringLiteral("/config.v2.json");
        if (auto obj = MetadataFile::readObject(config)) {
            c.name = stringField(*obj, QStringLiteral("Name"));
            if (c.name.startsWith(QLatin1Char('/')))
                c.name = c.name.mid(1);
            c.imageId = stringField(*obj, QStringLiteral("Image"));
            c.created = stringField(*obj, QStringLiteral("Created"));
            const QJsonObject cfg = obj->value(QStringLiteral("Config")).toObject();
            c.image = stringField(cfg, QStringLiteral("Image"));
            c.user = stringField(cfg, QStringLiteral("User"));
            const QString driver = stringField(*obj, QStringLiteral("Driver"));
            if (!driver.isEmpty() && driver != QLatin1String("overlay2"))
                note(Error {EINVAL, QStringLiteral("%1: Driver is \"%2\", not overlay2").arg(config, driver)});
            const QJsonObject state = obj->value(QStringLiteral("State")).toObject();
            c.running = state.value(QStringLiteral("Running")).toBool();
            c.exitCode = state.value(QStringLiteral("ExitCode")).toInt();
            if (state.value(QStringLiteral("Dead")).toBool())
                c.status = QStringLiteral("dead");
            else if (state.value(QStringLiteral("Restarting")).toBool())
                c.status = QStringLiteral("restarting");
            else if (state.value(QStringLiteral("Paused")).toBool())
                c.status = QStringLiteral("paused");
            else if (c.running)
                c.status = QStringLiteral("running");
            else if (stringField(state, QStringLiteral("StartedAt")).startsWith(QLatin1String("0001-")))
                c.status = QStringLiteral("created");
            else
                c.status = QStringLiteral("exited");
        } else {
            c.error = obj.error().message;
            problem(obj.error());
        }
        const QString m = mounts + QLatin1Char('/') + id;
        if (auto mountId = MetadataFile::readLine(m + QStringLiteral("/mount-id"))) {
            if (isSafeName(*mountId))
                c.mountId = *mountId;
            else
                note(Error {EINVAL, QStringLiteral("%1/mount-id: not a directory name").arg(m)});
        } else {
            note(mountId.error());
        }
        if (auto initId = MetadataFile::readLine(m + QStringLiteral("/init-id"))) {
            if (isSafeName(*initId))
                c.initId = *initId;
            else
                note(Error {EINVAL, QStringLiteral("%1/init-id: not a directory name").arg(m)});
        } else if (initId.error().code != ENOENT) {
            note(initId.error());
        }
        if (auto parent = MetadataFile::readLine(m + QStringLiteral("/parent"))) {
            c.parentChainId = *parent;
        } else if (parent.error().code != ENOENT) {
            note(parent.error());
        }
        m_containers.push_back(c);
    }
}

void DockerHost::finishImages()
{
    QSet<QString> known;
    for (const DockerImage &img : std::as_const(m_images))
        known.insert(img.id);
    for (auto it = m_tags.cbegin(); it != m_tags.cend(); ++it) {
        if (!known.contains(it.key()) && lstatError(imageRoot()) == 0) {
            problem(imageRoot() + QStringLiteral("/repositories.json"),
                QStringLiteral("%1 names image %2, which is not in imagedb")
                    .arg(it.value().join(QStringLiteral(", ")), it.key()));
        }
    }
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < m_images.size(); ++i)
        index.insert(m_images[i].id, i);

    for (DockerImage &img : m_images) {
        img.tags = m_tags.value(img.id);
        img.tags.sort();
        img.digests = m_digests.value(img.id);
        img.digests.sort();
        if (index.contains(img.parentId))
            m_images[index.value(img.parentId)].hasChildren = true;
    }
    for (DockerImage &img : m_images) {
        if (!img.error.isEmpty() && img.diffIds.isEmpty())
            continue;
        img.chainIds = ChainId::chain(img.diffIds);

        // `docker images` SIZE: the layers' sizes summed.
        img.size = 0;
        for (qsizetype k = 0; k < img.chainIds.size(); ++k) {
            const QString &chain = img.chainIds.at(k);
            const auto l = m_layers.constFind(chain);
            if (l == m_layers.cend()) {
                img.size = -1;
                img.problems << QStringLiteral("layer %1 (chain ID %2) is not in the layer store").arg(k).arg(chain);
                continue;
            }
            if (img.size >= 0 && l->size >= 0)
                img.size += l->size;
            else
                img.size = -1;
            if (!l->diffId.isEmpty() && l->diffId != img.diffIds.at(k))
                img.problems << QStringLiteral("layer %1: layerdb diff is %2, the config says %3")
                                    .arg(k)
                                    .arg(l->diffId, img.diffIds.at(k));
            const QString expectedParent = k > 0 ? img.chainIds.at(k - 1) : QString();
            if (l->parent != expectedParent)
                img.problems << QStringLiteral("layer %1: layerdb parent is \"%2\", the chain says \"%3\"")
                                    .arg(k)
                                    .arg(l->parent, expectedParent);
            // Build steps (untagged parents) would only add noise to "who uses this layer".
            if (!l->cacheId.isEmpty() && !(img.isDangling() && img.hasChildren)) {
                QStringList &users = m_imagesByDir[l->cacheId];
                for (const QString &name : img.tags.isEmpty() ? QStringList {img.shortId()} : img.tags) {
                    if (!users.contains(name))
                        users << name;
                }
            }
        }

        // The docker history pairing: every entry without empty_layer takes the next layer.
        int nonEmpty = 0;
        for (const DockerHistoryEntry &e : std::as_const(img.history))
            nonEmpty += e.emptyLayer ? 0 : 1;
        img.historyMatches = nonEmpty == img.diffIds.size();
        if (img.historyMatches) {
            int k = 0;
            for (DockerHistoryEntry &e : img.history)
                e.layerIndex = e.emptyLayer ? -1 : k++;
        } else if (!img.history.isEmpty()) {
            img.problems << QStringLiteral("%1 history entries make layers but the image has %2 layers: which "
                                           "instruction made which layer is unknown")
                                .arg(nonEmpty)
                                .arg(img.diffIds.size());
        }
    }

    // History image IDs, top first, along the parent chain (as `docker history` fills them in).
    for (DockerImage &img : m_images) {
        QString id = img.id;
        QSet<QString> seen;
        for (qsizetype i = img.history.size() - 1; i >= 0 && !id.isEmpty() && !seen.contains(id); --i) {
            seen.insert(id);
            img.history[i].imageId = id;
            const auto p = index.constFind(id);
            id = p == index.cend() ? QString() : m_images[*p].parentId;
        }
    }
    for (const DockerImage &img : std::as_const(m_images)) {
        for (const QString &p : img.problems)
            problem(QStringLiteral("image %1").arg(img.displayName()), p);
    }
    std::stable_sort(m_images.begin(), m_images.end(), [](const DockerImage &a, const DockerImage &b) {
        const QDateTime ta = parseTime(a.created);
        const QDateTime tb = parseTime(b.created);
        if (ta != tb)
            return ta > tb;
        return a.id < b.id;
    });
}

void DockerHost::finishContainers()
{
    for (DockerContainer &c : m_containers) {
        if (c.mountId.isEmpty())
            continue;
        c.upperDir = diffDir(c.mountId);
        c.mergedDir = layerDir(c.mountId) + QStringLiteral("/merged");
        c.workDir = layerDir(c.mountId) + QStringLiteral("/work");
        if (!c.initId.isEmpty())
            c.initDir = diffDir(c.initId);

        // What the layer store says: the init layer, then the image's layers from the top.
        QStringList expected;
        if (!c.initId.isEmpty())
            expected << c.initId;
        QString chain = c.parentChainId;
        QSet<QString> seen;
        while (!chain.isEmpty() && !seen.contains(chain)) {
            seen.insert(chain);
            const auto l = m_layers.constFind(chain);
            if (l == m_layers.cend() || l->cacheId.isEmpty()) {
                expected.clear();
                break;
            }
            expected << l->cacheId;
            chain = l->parent;
        }

        // What overlay2/<mount-id>/lower says (what Docker mounts and docker inspect reports).
        const auto dir = m_dirs.constFind(c.mountId);
        QStringList actual;
        if (dir != m_dirs.cend() && dir->hasLowerFile && !dir->lowerCacheIds.contains(QString()))
            actual = dir->lowerCacheIds;
        if (!actual.isEmpty() && !expected.isEmpty() && actual != expected) {
            const QString msg = QStringLiteral("%1/lower does not match the layer store (init layer + image layers)")
                                    .arg(layerDir(c.mountId));
            c.problems << msg;
            problem(Error {EINVAL, msg});
        }
        const QStringList &use = actual.isEmpty() ? expected : actual;
        for (const QString &id : use)
            c.lowerDirs << diffDir(id);
        if (dir == m_dirs.cend() && lstatError(overlayRoot()) == 0) {
            const QString msg
                = QStringLiteral("%1: missing (the container's read-write layer)").arg(layerDir(c.mountId));
            c.problems << msg;
            problem(Error {ENOENT, msg});
        }
    }
    std::stable_sort(m_containers.begin(), m_containers.end(), [](const DockerContainer &a, const DockerContainer &b) {
        const QDateTime ta = parseTime(a.created);
        const QDateTime tb = parseTime(b.created);
        if (ta != tb)
            return ta > tb;
        return a.id < b.id;
    });
}

const DockerImage *DockerHost::imageById(const QString &id) const
{
    for (const DockerImage &img : m_images) {
        if (img.id == id)
            return &img;
    }
    return nullptr;
}

Result<const DockerImage *> DockerHost::findImage(const QString &refArg) const
{
    const QString ref = refArg.trimmed();
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty image reference")};
    // A name: "name:tag", "name" (= name:latest), or "name@sha256:...".
    QString name = familiar(ref);
    const bool byDigest = name.contains(QLatin1Char('@'));
    if (!byDigest) {
        const qsizetype colon = name.lastIndexOf(QLatin1Char(':'));
        if (colon < 0 || colon < name.lastIndexOf(QLatin1Char('/')))
            name += QStringLiteral(":latest");
    }
    for (const DockerImage &img : m_images) {
        if ((byDigest ? img.digests : img.tags).contains(name))
            return &img;
    }
    // An ID or a unique prefix of one.
    const QString hex = ref.startsWith(QLatin1String("sha256:")) ? ref.mid(7) : ref;
    if (isHex(hex)) {
        QVector<const DockerImage *> found;
        for (const DockerImage &img : m_images) {
            if (img.id.mid(7).startsWith(hex))
                found << &img;
        }
        if (found.size() == 1)
            return found.first();
        if (found.size() > 1)
            return Error {
                EINVAL, QStringLiteral("image ID prefix \"%1\" is ambiguous (%2 images)").arg(ref).arg(found.size())};
    }
    QString hint;
    if (!m_problems.isEmpty())
        hint = QStringLiteral(" (%1 problem(s) while reading %2; see the warnings)").arg(m_problems.size()).arg(m_root);
    return Error {ENOENT, QStringLiteral("no such image: %1%2").arg(ref, hint)};
}

Result<const DockerContainer *> DockerHost::findContainer(const QString &refArg) const
{
    QString ref = refArg.trimmed();
    if (ref.startsWith(QLatin1Char('/')))
        ref = ref.mid(1);
    if (ref.isEmpty())
        return Error {EINVAL, QStringLiteral("empty container reference")};
    for (const DockerContainer &c : m_containers) {
        if (c.id == ref || c.name == ref)
            return &c;
    }
    if (isHex(ref)) {
        QVector<const DockerContainer *> found;
        for (const DockerContainer &c : m_containers) {
            if (c.id.startsWith(ref))
                found << &c;
        }
        if (found.size() == 1)
            return found.first();
        if (found.size() > 1)
            return Error {EINVAL, QStringLiteral("container ID prefix \"%1\" is ambiguous").arg(ref)};
    }
    QString hint;
    if (!m_problems.isEmpty())
        hint = QStringLiteral(" (%1 problem(s) while reading %2; see the warnings)").arg(m_problems.size()).arg(m_root);
    return Error {ENOENT, QStringLiteral("no such container: %1%2").arg(refArg, hint)};
}

QVector<DockerImageLayer> DockerHost::imageLayers(const DockerImage &image) const
{
    QVector<DockerImageLayer> out;
    QHash<int, int> historyOf;
    for (qsizetype i = 0; i < image.history.size(); ++i) {
        if (image.history.at(i).layerIndex >= 0)
            historyOf.insert(image.history.at(i).layerIndex, static_cast<int>(i));
    }
    for (qsizetype k = 0; k < image.diffIds.size(); ++k) {
        DockerImageLayer l;
        l.index = static_cast<int>(k);
        l.diffId = image.diffIds.at(k);
        l.chainId = k < image.chainIds.size() ? image.chainIds.at(k) : QString();
        const auto rec = m_layers.constFind(l.chainId);
        if (rec != m_layers.cend()) {
            l.cacheId = rec->cacheId;
            l.size = rec->size;
            l.problems = rec->problems;
            if (!rec->diffId.isEmpty() && rec->diffId != l.diffId)
                l.problems << QStringLiteral("layerdb diff %1 differs from the config's diff ID").arg(rec->diffId);
            const QString expectedParent = k > 0 ? image.chainIds.at(k - 1) : QString();
            if (rec->parent != expectedParent)
                l.problems << QStringLiteral("layerdb parent \"%1\" differs from the chain (\"%2\")")
                                  .arg(rec->parent, expectedParent);
        } else {
            l.problems << QStringLiteral("chain ID %1 is not in the layer store").arg(l.chainId);
        }
        if (!l.cacheId.isEmpty()) {
            l.dir = layerDir(l.cacheId);
            l.diffDir = diffDir(l.cacheId);
            const auto d = m_dirs.constFind(l.cacheId);
            if (d != m_dirs.cend()) {
                l.link = d->link;
                l.lowerLinks = d->lowerLinks;
                l.lower = d->lowerCacheIds;
                l.committed = d->committed;
                // The driver's own record of the layers below must name the same directories.
                QStringList below;
                for (qsizetype j = k - 1; j >= 0; --j) {
                    const auto r = m_layers.constFind(image.chainIds.value(j));
                    below << (r == m_layers.cend() ? QString() : r->cacheId);
                }
                if (d->hasLowerFile && !d->lowerCacheIds.contains(QString()) && d->lowerCacheIds != below)
                    l.problems << QStringLiteral("%1/lower does not list the layers below it").arg(l.dir);
                if (!d->hasLowerFile && k > 0 && !d->problems.isEmpty())
                    l.problems << d->problems;
            } else if (lstatError(overlayRoot()) == 0) {
                l.problems << QStringLiteral("%1: missing").arg(l.dir);
            }
        }
        const int h = historyOf.value(l.index, -1);
        if (h >= 0) {
            l.historyIndex = h;
            l.createdBy = image.history.at(h).createdBy;
            l.createdByRaw = image.history.at(h).createdByRaw;
        }
        out.push_back(l);
    }
    return out;
}

Result<MergeLayers> DockerHost::mergeLayers(const DockerImage &image) const
{
    if (!image.error.isEmpty() && image.diffIds.isEmpty())
        return Error {EINVAL, image.error};
    MergeLayers layers;
    const QVector<DockerImageLayer> ls = imageLayers(image);
    for (auto it = ls.crbegin(); it != ls.crend(); ++it) {
        if (it->cacheId.isEmpty())
            return Error {ENOENT,
                QStringLiteral("image %1: layer %2 (%3) has no directory: %4")
                    .arg(image.displayName())
                    .arg(it->index)
                    .arg(it->chainId, it->problems.join(QStringLiteral("; ")))};
        MergeLayer m;
        m.path = it->diffDir;
        m.name = QStringLiteral("layer %1 (%2)").arg(it->index).arg(it->cacheId.left(12));
        m.role = LayerRole::Lower;
        layers.push_back(m);
    }
    if (layers.isEmpty())
        return Error {ENOENT, QStringLiteral("image %1 has no layers").arg(image.displayName())};
    return layers;
}

Result<MergeLayers> DockerHost::mergeLayers(const DockerContainer &c, bool withUpper) const
{
    if (c.mountId.isEmpty())
        return Error {ENOENT,
            QStringLiteral("container %1: its read-write layer is unknown (%2)")
                .arg(c.displayName(), c.problems.join(QStringLiteral("; ")))};
    if (c.lowerDirs.isEmpty())
        return Error {ENOENT,
            QStringLiteral("container %1: its lower layers are unknown (%2)")
                .arg(c.displayName(), c.problems.join(QStringLiteral("; ")))};
    // Name image layers by their index in the image, as `layers` prints them.
    QHash<QString, int> indexOf;
    if (const DockerImage *img = imageById(c.imageId)) {
        for (qsizetype k = 0; k < img->chainIds.size(); ++k) {
            const auto l = m_layers.constFind(img->chainIds.at(k));
            if (l != m_layers.cend())
                indexOf.insert(diffDir(l->cacheId), static_cast<int>(k));
        }
    }
    MergeLayers layers;
    if (withUpper)
        layers.push_back(MergeLayer {c.upperDir,
            QStringLiteral("upper (%1)").arg(c.mountId.left(12)),
            LayerRole::Upper,
            QString(),
            QString()});
    for (const QString &d : c.lowerDirs) {
        MergeLayer m;
        m.path = d;
        m.role = LayerRole::Lower;
        if (d == c.initDir)
            m.name = QStringLiteral("init (%1-init)").arg(c.mountId.left(12));
        else if (indexOf.contains(d))
            m.name = QStringLiteral("layer %1 (%2)")
                         .arg(indexOf.value(d))
                         .arg(d.section(QLatin1Char('/'), -2, -2).left(12));
        else
            m.name = d.section(QLatin1Char('/'), -2, -2).left(12);
        layers.push_back(m);
    }
    return layers;
}

QStringList DockerHost::imagesUsing(const QString &cacheId) const
{
    return m_imagesByDir.value(cacheId);
}

const DockerContainer *DockerHost::containerOwning(const QString &dirName) const
{
    for (const DockerContainer &c : m_containers) {
        if (!c.mountId.isEmpty() && (c.mountId == dirName || c.initId == dirName))
            return &c;
    }
    return nullptr;
}

} // namespace strata
