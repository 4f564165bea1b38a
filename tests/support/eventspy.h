// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"

#include <QList>

class QSignalSpy;

namespace strata::test
{

/// Every event a spy on a `changed(QList<OverlayEvent>)`-like signal caught, in order.
[[nodiscard]] QList<OverlayEvent> eventsOf(const QSignalSpy &spy);

} // namespace strata::test
