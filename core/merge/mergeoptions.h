// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/overlayxattrs.h"

namespace strata
{

/// The parts of an overlay's mount options that change what lookup sees.
struct MergeOptions {
    XattrNamespace xattrs = XattrNamespace::Trusted;
    /// Follow overlay.redirect on directories (redirect_dir=on|follow, or off with the module's
    /// redirect_always_follow=Y). Without it a redirected merged directory is an EPERM.
    bool followRedirects = true;
    /// metacopy=on: a file with overlay.metacopy takes its data from the layers below.
    bool metacopy = false;
};

} // namespace strata
