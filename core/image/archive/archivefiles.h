// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace strata
{

class ByteStream;

/// The files of an image archive, whichever form it has: a tar (`docker save`, an
/// `oci-archive`; itself possibly compressed) read in place with libarchive, or an OCI layout
/// directory. Names are relative to its top ("./" dropped). Links inside it are followed
/// (a multi-image `docker save` stores a shared layer once and links to it); a name or a link
/// that leads out of it is refused.
class ArchiveFiles final
{
public:
    static constexpr qint64 MaxMetadata = 16 * 1024 * 1024; ///< index, manifest or config

    [[nodiscard]] static Result<ArchiveFiles> open(const QString &path);

    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] bool isDirectory() const { return m_directory; }
    /// Whether `name` exists as a file (after following links).
    [[nodiscard]] bool contains(const QString &name) const { return resolve(name).ok(); }
    /// The member `name` leads to, links followed; refused when it leaves the archive.
    [[nodiscard]] Result<QString> resolve(const QString &name) const;
    /// A whole small member (metadata): at most `max` bytes, else an error.
    [[nodiscard]] Result<QByteArray> read(const QString &name, qint64 max = MaxMetadata) const;
    /// A member as a stream, read in place; each stream reads on its own (threads may share
    /// the archive).
    [[nodiscard]] Result<std::unique_ptr<ByteStream>> stream(const QString &name) const;
    /// The first bytes of a member (compression magic).
    [[nodiscard]] QByteArray head(const QString &name, qint64 count = 8) const;
    /// The stored size of a member, -1 when unknown.
    [[nodiscard]] qint64 size(const QString &name) const;
    /// Member names of a tar in archive order (empty for a directory).
    [[nodiscard]] const QStringList &names() const { return m_names; }

    /// "a/./b//c" -> "a/b/c"; empty when ".." climbs above the top.
    [[nodiscard]] static QString normalise(const QString &name);

private:
    struct Member {
        enum Kind : unsigned char { File, Directory, Symlink, HardLink, Other } kind = File;
        QString target;
        qint64 size = 0;
        int ordinal = 0; // which header of the tar: duplicates keep the last
    };

    Status index();

    QString m_path;
    bool m_directory = false;
    QHash<QString, Member> m_members;
    QStringList m_names;
};

} // namespace strata
