// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QVector>

namespace strata
{

/// Something in a Docker root that could not be read or makes no sense: the file (or
/// directory) it is about, and what is wrong. Problems are collected, never fatal, so the
/// rest of the host is still shown.
struct DockerProblem {
    QString path;
    QString message;

    [[nodiscard]] QString text() const { return path.isEmpty() ? message : path + QStringLiteral(": ") + message; }
};

using DockerProblems = QVector<DockerProblem>;

} // namespace strata
