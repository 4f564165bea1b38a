// SPDX-License-Identifier: GPL-2.0-or-later
#include "background.h"

#include <QThread>

#include <algorithm>

namespace strata
{

QThreadPool &backgroundPool()
{
    // Destroyed at exit after waiting for what still runs; the jobs' owners cancel theirs first.
    static QThreadPool pool;
    static const bool sized = [] {
        pool.setMaxThreadCount(std::max(8, QThread::idealThreadCount() * 2));
        return true;
    }();
    (void)sized;
    return pool;
}

} // namespace strata
