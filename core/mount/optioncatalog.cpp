// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/mount/optioncatalog.h"

namespace strata
{

QString OptionCatalog::Entry::link() const
{
    return QStringLiteral("https://docs.kernel.org/filesystems/overlayfs.html#") + section;
}

const QList<OptionCatalog::Entry> &OptionCatalog::entries()
{
    static const QList<Entry> all {
        {QStringLiteral("redirect_dir"),
            {QStringLiteral("on"), QStringLiteral("follow"), QStringLiteral("nofollow"), QStringLiteral("off")},
            QStringLiteral("Renaming a directory that comes from a lower layer records a redirect xattr instead of "
                           "failing with EXDEV."),
            QStringLiteral("renaming-directories")},
        {QStringLiteral("index"),
            {QStringLiteral("on"), QStringLiteral("off")},
            QStringLiteral("An index of copied-up lower inodes in the work directory keeps hard links whole after "
                           "copy-up."),
            QStringLiteral("inode-index")},
        {QStringLiteral("metacopy"),
            {QStringLiteral("on"), QStringLiteral("off")},
            QStringLiteral("chmod, chown and utimes copy only the metadata up; the data stays below until the first "
                           "write."),
            QStringLiteral("metadata-only-copy-up")},
        {QStringLiteral("xino"),
            {QStringLiteral("on"), QStringLiteral("off"), QStringLiteral("auto")},
            QStringLiteral("High bits of the inode number say the layer, so st_ino stays unique across layers."),
            QStringLiteral("inode-properties")},
        {QStringLiteral("nfs_export"),
            {QStringLiteral("on"), QStringLiteral("off")},
            QStringLiteral("File handles of the overlay survive a remount, so it can be exported over NFS."),
            QStringLiteral("nfs-export")},
        {QStringLiteral("userxattr"),
            {},
            QStringLiteral("Overlay xattrs go to user.overlay.* instead of trusted.overlay.*: what a user namespace "
                           "mount needs."),
            QStringLiteral("user-xattr")},
        {QStringLiteral("volatile"),
            {},
            QStringLiteral("No syncs to the upper layer; the mount leaves work/incompat/volatile behind and "
                           "every later mount refuses until it is removed."),
            QStringLiteral("volatile-mount")},
        {QStringLiteral("uuid"),
            {QStringLiteral("on"), QStringLiteral("off"), QStringLiteral("auto"), QStringLiteral("null")},
            QStringLiteral("Which UUID the overlay records in its layers' origin xattrs and reports as its fsid."),
            QStringLiteral("uuid-and-fsid")},
        {QStringLiteral("verity"),
            {QStringLiteral("on"), QStringLiteral("require"), QStringLiteral("off")},
            QStringLiteral("A metacopy file records its data file's fs-verity digest, checked when the data is "
                           "opened."),
            QStringLiteral("fs-verity-support"),
            false},
        {QStringLiteral("datadir+"),
            {},
            QStringLiteral("Data-only lower layers (lowerdir=a::b): their files are reached only through metacopy "
                           "redirects, never listed."),
            QStringLiteral("data-only-lower-layers")},
    };
    return all;
}

const OptionCatalog::Entry *OptionCatalog::find(const QString &key)
{
    for (const Entry &e : entries()) {
        if (e.key == key)
            return &e;
    }
    return nullptr;
}

} // namespace strata
