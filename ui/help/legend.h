// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QCoreApplication>
#include <QPalette>
#include <QString>
#include <QStringList>

namespace strata
{

/// Help → "What am I looking at?": one page on every role, event, glyph, colour and note the
/// window draws, written from the tables the views draw from (LayerRole, EventStyle and its
/// planners, EventStyle::marks()), so it follows them.
class Legend final
{
    Q_DECLARE_TR_FUNCTIONS(Legend)
public:
    /// The page as HTML, its colours readable on `palette`.
    [[nodiscard]] static QString html(const QPalette &palette);
    /// Every text of the tables the page is written from (glyphs, words, animation labels).
    [[nodiscard]] static QStringList texts();
};

} // namespace strata
