// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/imagestore.h"

#include <QString>

#include <memory>

namespace strata
{

/// One place on this host (or one file) that holds images, as the Images & Containers panel
/// lists it: a Docker root, a containerd namespace, a Podman store, an opened image archive.
/// Found and opened by StoreSources; a source that could not be read keeps why in
/// `unavailable` and is listed, disabled, with that reason.
struct StoreSource {
    QString kind; ///< "Docker", "containerd", "Podman", "Archive": what the list groups by
    QString name; ///< for people: "Docker", "containerd: default", "whiteout-demo.tar"
    QString root; ///< the directory (or archive) it is read from
    QString detail; ///< how it is laid out: "overlay2", "containerd image store (Docker 29)"…
    QString unavailable; ///< why it cannot be shown (missing, no permission, corrupt); empty when it can
    std::shared_ptr<const ImageStore> store; ///< the store read, null when unavailable

    [[nodiscard]] bool isAvailable() const { return store != nullptr; }
    /// "3 images, 1 container" for an available source, else why not.
    [[nodiscard]] QString summary() const;
};

} // namespace strata
