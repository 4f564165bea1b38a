// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayoptions.h"

#include <QString>

#include <optional>

namespace strata
{

/// A refused edit for people: the errno by name and in words, what overlayfs makes of it for
/// that verb, and which option (or other change) would allow it. The window shows it where a
/// failed edit is reported; a lesson step that the kernel refuses is explained the same way.
class RefusalText final
{
public:
    QString errorName; ///< "EXDEV"
    QString words; ///< the C library's: "Invalid cross-device link"
    QString why; ///< what it means for this verb on an overlay; may be empty
    QString remedy; ///< what would allow it ("mount with redirect_dir=on"); empty: nothing would

    /// One mount option that alone would allow it: the window offers to try again with it.
    struct Remedy {
        QString option; ///< its workspace-file key: "redirect_dir"
        QString value; ///< "on"
        /// "redirect_dir=on"
        [[nodiscard]] QString text() const { return option + QLatin1Char('=') + value; }
        friend bool operator==(const Remedy &, const Remedy &) = default;
    };
    /// Empty when no single option would (or it is set already, or the mount could not take it).
    std::optional<Remedy> retryWith;

    /// `verb` is a `strata op` verb (mv, rm-r, ln...), or "mount".
    [[nodiscard]] static RefusalText explain(int error, const QString &verb, const OverlayOptions &options);
    /// One paragraph: "mv refused: EXDEV (Invalid cross-device link). why. Would work with: remedy."
    [[nodiscard]] QString text(const QString &verb) const;
};

} // namespace strata
