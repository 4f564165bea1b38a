// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace strata::test
{

/// An upper layer reduced to what must be equal between the kernel and the engine
/// (reference/overlayfs.md §21): names, types (whiteouts as such), modes, owners, sizes,
/// contents (a metacopy file's hole as such), link targets, the opaque/redirect markers of
/// directories and the metacopy/redirect markers of files, and every other xattr (escaped
/// ones too). Kernel-only artefacts
/// (origin, impure, uuid xattrs, times, whiteout link counts, the work directory) are left out.
class UpperView final
{
public:
    static UpperView take(const QString &upper, XattrNamespace ns);
    [[nodiscard]] QString diff(const UpperView &other, const QString &leftName, const QString &rightName) const;
    [[nodiscard]] int size() const { return static_cast<int>(m_entries.size()); }
    /// The entries of this upper that are in none of the `allowed` views as they are there
    /// (the upper before an edit, after it, the lower for plain copy-ups): what an edit
    /// interrupted on the way would have left astray.
    [[nodiscard]] QStringList strayEntries(const QList<UpperView> &allowed) const;

private:
    void walk(const QByteArray &abs, const QByteArray &rel, XattrNamespace ns);
    QMap<QByteArray, QByteArray> m_entries; // path -> description
};

} // namespace strata::test
