// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace strata
{

/// The main window's size and place, remembered per screen setup: a laptop alone and the
/// laptop on a projector each get back what the user last chose there.
class WindowGeometry final
{
public:
    /// The screens as they are now, sorted: "HDMI-1 1920x1080@1; eDP-1 2560x1600@2".
    [[nodiscard]] static QString screenSetup();
    /// Restores what save() kept for this setup; false (and nothing changed) when nothing was kept.
    static bool restore(QWidget *window);
    static void save(const QWidget *window);
};

} // namespace strata
