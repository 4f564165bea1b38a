// SPDX-License-Identifier: GPL-2.0-or-later
#include "filelimit.h"

#include <sys/resource.h>

namespace strata
{

void raiseFileLimit()
{
    rlimit lim {};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
}

} // namespace strata
