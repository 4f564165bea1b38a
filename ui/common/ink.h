// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"

#include <QColor>
#include <QPalette>

namespace strata
{

/// Colours for words, computed against the palette they are drawn on, so that a dark palette
/// (the platform's, or `--dark`) keeps every caption, badge and note readable: text meets the
/// WCAG contrast of 4.5:1 against its background.
struct Ink {
    static constexpr double TextContrast = 4.5;

    /// A caption or badge: its words, its background and its outline.
    struct Colours {
        QColor text;
        QColor background;
        QColor border;
    };

    /// WCAG relative luminance, 0 (black) to 1 (white).
    [[nodiscard]] static double luminance(const QColor &c);
    /// WCAG contrast ratio, 1 to 21.
    [[nodiscard]] static double contrast(const QColor &a, const QColor &b);
    /// `ink` darkened or lightened (hue kept) until it has `minimum` contrast on `background`.
    [[nodiscard]] static QColor readable(const QColor &ink, const QColor &background, double minimum = TextContrast);
    /// `a` moved towards `b` by `t` (0: a, 1: b).
    [[nodiscard]] static QColor mix(const QColor &a, const QColor &b, double t);
    [[nodiscard]] static bool isDark(const QPalette &palette);

    /// The caption banner: amber paper on a light palette, dark amber on a dark one.
    [[nodiscard]] static Colours caption(const QPalette &palette);
    /// An event's colour as words on the palette's base (the legend, the timeline).
    [[nodiscard]] static QColor event(OverlayEvent::Kind kind, const QPalette &palette);
    /// A deleted (whiteout) or shadowed entry: dimmed, still readable on the base.
    [[nodiscard]] static QColor dimmed(const QPalette &palette);

    /// The palette of `--dark`: Fusion's roles in dark greys with light text.
    [[nodiscard]] static QPalette darkPalette();
};

} // namespace strata
