// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/overlayevent.h"

#include <QByteArray>
#include <QList>

#include <string_view>
#include <vector>

namespace strata
{

/// Which parts of a merged view an edit's events touched, as a tree of names from the root:
/// what TreePatcher reads again, and no more. Each named directory or entry says how much:
/// - Node: the entry itself (a copy-up, a metacopy, a modification); its children stay;
/// - Spine: on the way to something below; only the names below it that are in the rules;
/// - Level: its listing changed (an entry made, removed, renamed here): every name in it,
///   each read as a Node unless the rules say more;
/// - Full: all of it, every level below (a new or renamed directory, a whiteout, an opaque one).
class PatchRules final
{
public:
    enum class Mode : unsigned char { Node, Spine, Level, Full };
    struct Rule {
        QByteArray name;
        Mode mode = Mode::Spine;
        std::vector<Rule> children; // sorted by name

        [[nodiscard]] const Rule *child(std::string_view name) const;
    };

    /// The rules for an edit's events; false when an event names a path they cannot say
    /// (a "." or ".." in it): the caller rescans.
    [[nodiscard]] bool add(const OverlayEvent &event);
    [[nodiscard]] bool addAll(const QList<OverlayEvent> &events);
    /// Marks `path` (bytes, "/a/b") with at least `mode`.
    [[nodiscard]] bool mark(const QByteArray &path, Mode mode);
    [[nodiscard]] const Rule &root() const { return m_root; }
    [[nodiscard]] bool isEmpty() const { return m_root.children.empty() && m_root.mode == Mode::Spine; }
    /// Every marked path, for the caller's checks ("/a", "/a/b"...), parents first.
    [[nodiscard]] QList<QByteArray> paths() const;

private:
    Rule m_root;
};

} // namespace strata
