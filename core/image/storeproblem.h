// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>
#include <QVector>

namespace strata
{

/// Something in a store (a Docker root, a containerd or Podman store, an image archive) that
/// could not be read or makes no sense: the file (or directory) it is about, and what is
/// wrong. Problems are collected, never fatal, so the rest of the store is still shown.
struct StoreProblem {
    QString path;
    QString message;

    [[nodiscard]] QString text() const { return path.isEmpty() ? message : path + QStringLiteral(": ") + message; }
};

using StoreProblems = QVector<StoreProblem>;

} // namespace strata
