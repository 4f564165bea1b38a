// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// Every overlay mount option the builder offers, with one sentence and the section of the
/// kernel's document (Documentation/filesystems/overlayfs.rst) it comes from. OptionProbe asks
/// the running kernel about each of them.
class OptionCatalog final
{
public:
    struct Entry {
        QString key; ///< as fsconfig(2) takes it: "redirect_dir", "userxattr", "datadir+"
        QStringList values; ///< the values it takes; empty for a flag
        QString sentence;
        QString section; ///< the anchor in overlayfs.html
        /// Whether the workspace file (OverlayOptions) can hold it; the others are shown only.
        bool inWorkspace = true;

        [[nodiscard]] bool isFlag() const { return values.isEmpty(); }
        /// https://docs.kernel.org/filesystems/overlayfs.html#SECTION
        [[nodiscard]] QString link() const;
    };

    [[nodiscard]] static const QList<Entry> &entries();
    /// The entry of `key`, or null.
    [[nodiscard]] static const Entry *find(const QString &key);
};

} // namespace strata
