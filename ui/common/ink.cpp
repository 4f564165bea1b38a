// SPDX-License-Identifier: GPL-2.0-or-later
#include "ink.h"

#include "ui/common/eventstyle.h"

#include <algorithm>
#include <cmath>

namespace strata
{

namespace
{
double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
} // namespace

double Ink::luminance(const QColor &c)
{
    const QColor rgb = c.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

double Ink::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor Ink::mix(const QColor &a, const QColor &b, double t)
{
    const auto m = [t](double x, double y) {
        return x + (y - x) * t;
    };
    return QColor::fromRgbF(static_cast<float>(m(a.redF(), b.redF())),
        static_cast<float>(m(a.greenF(), b.greenF())),
        static_cast<float>(m(a.blueF(), b.blueF())));
}

QColor Ink::readable(const QColor &ink, const QColor &background, double minimum)
{
    // Towards black on a light background, towards white on a dark one: the hue stays.
    const QColor target = luminance(background) > 0.18 ? QColor(Qt::black) : QColor(Qt::white);
    QColor c = ink.toRgb();
    c.setAlpha(255);
    for (int step = 1; contrast(c, background) < minimum && step <= 20; ++step)
        c = mix(ink.toRgb(), target, step / 20.0);
    return c;
}

bool Ink::isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Base)) < 0.18;
}

Ink::Colours Ink::caption(const QPalette &palette)
{
    const QColor amber(0x8a, 0x6d, 0x00);
    if (isDark(palette)) {
        const QColor paper = mix(palette.color(QPalette::Base), amber, 0.35);
        return {readable(palette.color(QPalette::Text), paper), paper, readable(QColor(0xe0, 0xb0, 0x00), paper, 3)};
    }
    const QColor paper(0xff, 0xfb, 0xe6);
    return {readable(palette.color(QPalette::Text), paper), paper, amber};
}

QColor Ink::event(OverlayEvent::Kind kind, const QPalette &palette)
{
    return readable(EventStyle::of(kind).colour, palette.color(QPalette::Base));
}

QColor Ink::dimmed(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    return readable(mix(palette.color(QPalette::Text), base, 0.5), base);
}

QPalette Ink::darkPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x30);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe8, 0xe8, 0xe8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2a));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3d));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x54));
    p.setColor(QPalette::Midlight, QColor(0x44, 0x44, 0x48));
    p.setColor(QPalette::Mid, QColor(0x60, 0x60, 0x64));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::LinkVisited, QColor(0xc5, 0x8a, 0xf9));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace strata
