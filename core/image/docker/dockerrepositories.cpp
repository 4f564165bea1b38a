// SPDX-License-Identifier: GPL-2.0-or-later
#include "dockerrepositories.h"

#include "core/image/chainid.h"
#include "core/image/metadatafile.h"
#include "core/image/storefiles.h"
#include "core/util/jsonstring.h"

#include <QJsonObject>

#include <cerrno>

namespace strata
{

DockerRepositories DockerRepositories::read(const QString &imageRoot, StoreProblems &problems)
{
    DockerRepositories out;
    const QString path = imageRoot + QStringLiteral("/repositories.json");
    if (StoreFiles::lstatError(path) == ENOENT)
        return out;
    auto obj = MetadataFile::readObject(path);
    if (!obj) {
        StoreFiles::report(problems,
            Error {obj.error().code, obj.error().message + QStringLiteral(" (images are shown without tags)")});
        return out;
    }
    const QJsonValue repos = obj->value(QStringLiteral("Repositories"));
    if (!repos.isObject()) {
        problems.push_back({path, QStringLiteral("Repositories: expected an object, got %1").arg(jsonTypeName(repos))});
        return out;
    }
    const QJsonObject r = repos.toObject();
    for (auto it = r.begin(); it != r.end(); ++it) {
        if (!it.value().isObject()) {
            problems.push_back({path,
                QStringLiteral("Repositories.%1: expected an object, got %2").arg(it.key(), jsonTypeName(it.value()))});
            continue;
        }
        const QJsonObject refs = it.value().toObject();
        for (auto rit = refs.begin(); rit != refs.end(); ++rit) {
            const QString id = rit.value().toString();
            if (!ChainId::isDigest(id)) {
                problems.push_back(
                    {path, QStringLiteral("Repositories.%1.%2: not an image ID").arg(it.key(), rit.key())});
                continue;
            }
            if (rit.key().contains(QLatin1Char('@')))
                out.digests[id] << rit.key();
            else
                out.tags[id] << rit.key();
        }
    }
    return out;
}

} // namespace strata
