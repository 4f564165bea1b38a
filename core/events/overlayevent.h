// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QString>

namespace strata
{

class JsonWriter;

/// Something the overlay filesystem did, in the words of DESIGN.md's event table.
struct OverlayEvent {
    enum class Kind : unsigned char {
        Created,
        CopyUp,
        Metacopy,
        Whiteout,
        Opaque,
        Redirect,
        Removed,
        Modified,
        Renamed,
        WorkTemp,
    };

    Kind kind = Kind::Created;
    QString path; ///< merged-view path, "/a/b"
    QString fromPath; ///< renamed/redirect: the old merged path
    QString fromLayer; ///< copy_up, whiteout: the lower layer it concerns (display name)
    QString toLayer; ///< the layer written (display name)
    QString explanation; ///< one sentence for people
    QString command; ///< the equivalent shell command
    bool outside = false; ///< seen by the watcher: made by another program

    [[nodiscard]] static QString kindName(Kind kind);
    /// The event as a JSON object (docs/cli.md, `strata op` and `strata events`).
    void writeJson(JsonWriter &w) const;
    /// One line for people: "copy_up   /base_image/x   lower_layer -> upper_layer".
    [[nodiscard]] QString toText() const;
};

} // namespace strata
