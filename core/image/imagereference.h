// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>

#include <memory>

namespace strata
{

class ImageStore;

/// One image named on a command line, wherever it lives (DESIGN.md, `strata compare`):
/// `docker:REF`, `podman:REF`, `containerd:[NS/]REF`, or the path of an image archive
/// (`archive:PATH` when the path itself has a colon).
class ImageReference final
{
public:
    enum class Kind { Docker, Podman, Containerd, Archive };

    /// The store an image was found in, and which of its images it is.
    struct Opened {
        std::shared_ptr<const ImageStore> store;
        qsizetype image = -1;
    };

    [[nodiscard]] static Result<ImageReference> parse(const QString &spec);

    [[nodiscard]] Kind kind() const { return m_kind; }
    /// The image's reference in its store (for an archive: the path).
    [[nodiscard]] const QString &ref() const { return m_ref; }
    /// containerd's namespace, when the spec names one.
    [[nodiscard]] const QString &space() const { return m_namespace; }
    /// What the user wrote.
    [[nodiscard]] const QString &spec() const { return m_spec; }

    /// Opens the store (`root` overrides its default place; for an archive `select` picks
    /// one of its images) and finds the image. Reads only.
    [[nodiscard]] Result<Opened> open(const QString &root = {}, const QString &select = {}) const;

private:
    ImageReference() = default;

    Kind m_kind = Kind::Archive;
    QString m_ref;
    QString m_namespace;
    QString m_spec;
};

} // namespace strata
