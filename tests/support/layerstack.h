// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"

#include <QStringList>
#include <QTemporaryDir>

namespace strata::test
{

/// A throw-away stack of layer directories built from a small text spec, one line per entry:
///
///   LAYER KIND PATH [ARG]
///
/// LAYER is U (upper), L0, L1, ... (L0 is the top lower) or D0, D1, ... (data-only layers,
/// after the lowers). PATH is percent-encoded bytes
/// (so "%ff" is a non-UTF-8 name); parents are created as plain directories. KINDS:
///   f PATH TEXT   regular file (TEXT percent-encoded, may be empty)
///   d PATH        directory            o PATH    directory with overlay.opaque="y"
///   x PATH        directory with overlay.opaque="x"
///   xw PATH       zero-size file with overlay.whiteout (xattr whiteout)
///   mc PATH       empty file with overlay.metacopy (metadata-only copy-up)
///   mr PATH SIZE REDIRECT  a hole of SIZE bytes with overlay.metacopy and overlay.redirect
///                 (as mkcomposefs makes them: the data is REDIRECT in a data-only layer)
///   w PATH        whiteout (char device 0/0)
///   l PATH TARGET symbolic link       h PATH EXISTING   hard link (same layer)
///   p PATH        fifo                 m PATH OCTAL      chmod
///   c PATH MAJ:MIN character device
///   r PATH TARGET directory with overlay.redirect=TARGET
class LayerStack final
{
public:
    /// `userXattr` writes user.overlay.* instead of trusted.overlay.*; `dataCount` data-only
    /// layers D0... follow the lowers.
    LayerStack(int lowerCount, bool withUpper, bool userXattr = false, int dataCount = 0);
    ~LayerStack();

    bool apply(const QStringList &spec);
    [[nodiscard]] const QString &errorString() const { return m_error; }

    [[nodiscard]] bool isValid() const { return m_dir.isValid(); }
    [[nodiscard]] QString root() const { return m_dir.path(); }
    [[nodiscard]] QString upper() const;
    [[nodiscard]] QString work() const;
    [[nodiscard]] QString mountpoint() const;
    [[nodiscard]] QStringList lowers() const; ///< top first
    [[nodiscard]] QStringList dataLowers() const; ///< the data-only layers, in order
    [[nodiscard]] MergeLayers mergeLayers() const;
    [[nodiscard]] bool hasUpper() const { return m_withUpper; }

private:
    bool fail(const QString &message);
    [[nodiscard]] QString layerDir(const QString &token) const;

    QTemporaryDir m_dir;
    int m_lowerCount;
    int m_dataCount;
    bool m_withUpper;
    bool m_userXattr;
    QString m_error;
};

} // namespace strata::test
