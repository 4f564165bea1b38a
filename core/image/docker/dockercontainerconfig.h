// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/docker/dockercontainer.h"
#include "core/image/storeproblem.h"

#include <QJsonObject>
#include <QString>

namespace strata
{

/// `containers/<id>/config.v2.json`: a container's name, image, user, state and graph driver.
class DockerContainerConfig final
{
public:
    /// Fills `container` (its id set) from `<root>/containers/<id>/config.v2.json`; an
    /// unreadable file sets its error, a Driver other than `driver` is a problem.
    static void read(const QString &root,
        DockerContainer &container,
        StoreProblems &problems,
        const QString &driver = QStringLiteral("overlay2"));

private:
    [[nodiscard]] static QString status(const QJsonObject &state, bool running);
};

} // namespace strata
