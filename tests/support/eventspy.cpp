// SPDX-License-Identifier: GPL-2.0-or-later
#include "eventspy.h"

#include <QSignalSpy>

namespace strata::test
{

QList<OverlayEvent> eventsOf(const QSignalSpy &spy)
{
    QList<OverlayEvent> all;
    for (const QList<QVariant> &emission : spy)
        all += emission.at(0).value<QList<OverlayEvent>>();
    return all;
}

} // namespace strata::test
