// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QStringList>

namespace strata::test
{

/// Seeded, reproducible random layer stacks in LayerStack's spec language: files, dirs,
/// symlinks, hard links, fifos, whiteouts, opaque dirs, chmods and (optionally) redirects,
/// over a tiny name pool so that names collide across layers as often as possible.
class RandomStack final
{
public:
    struct Params {
        quint32 seed = 1;
        int lowerCount = 2;
        bool withUpper = true;
        bool redirects = false;
        bool nonUtf8 = true;
    };
    [[nodiscard]] static QStringList generate(const Params &params);
};

} // namespace strata::test
