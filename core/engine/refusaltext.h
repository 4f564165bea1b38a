// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/stack/overlayoptions.h"

#include <QString>

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

    /// `verb` is a `strata op` verb (mv, rm-r, ln...), or "mount".
    [[nodiscard]] static RefusalText explain(int error, const QString &verb, const OverlayOptions &options);
    /// One paragraph: "mv refused: EXDEV (Invalid cross-device link). why. Would work with: remedy."
    [[nodiscard]] QString text(const QString &verb) const;
};

} // namespace strata
