// SPDX-License-Identifier: GPL-2.0-or-later
#include "patchrules.h"

#include "core/util/filename.h"

#include <algorithm>

namespace strata
{

const PatchRules::Rule *PatchRules::Rule::child(std::string_view nm) const
{
    const auto it = std::lower_bound(children.cbegin(), children.cend(), nm, [](const Rule &r, std::string_view n) {
        return std::string_view(r.name.constData(), static_cast<size_t>(r.name.size())) < n;
    });
    if (it == children.cend() || std::string_view(it->name.constData(), static_cast<size_t>(it->name.size())) != nm)
        return nullptr;
    return &*it;
}

bool PatchRules::mark(const QByteArray &path, Mode mode)
{
    Rule *at = &m_root;
    for (const QByteArray &part : path.split('/')) {
        if (part.isEmpty())
            continue;
        if (part == "." || part == "..")
            return false;
        if (at->mode == Mode::Full)
            return true; // read whole already
        if (at->mode == Mode::Node)
            at->mode = Mode::Spine;
        auto it
            = std::lower_bound(at->children.begin(), at->children.end(), part, [](const Rule &r, const QByteArray &n) {
                  return r.name < n;
              });
        if (it == at->children.end() || it->name != part)
            it = at->children.insert(it, Rule {part, Mode::Node, {}});
        at = &*it;
    }
    if (at->mode == Mode::Full)
        return true;
    // A directory that is on the way to something else is read at least as a Spine.
    const Mode least = at->children.empty() ? at->mode : std::max(at->mode, Mode::Spine);
    at->mode = std::max(least, mode);
    if (at->mode == Mode::Full)
        at->children.clear();
    return true;
}

namespace
{
QByteArray parentOf(const QByteArray &path)
{
    const qsizetype slash = path.lastIndexOf('/');
    return slash <= 0 ? QByteArrayLiteral("/") : path.left(slash);
}
} // namespace

bool PatchRules::add(const OverlayEvent &event)
{
    using Kind = OverlayEvent::Kind;
    const QByteArray path = encodeFileName(event.path);
    switch (event.kind) {
    case Kind::WorkTemp:
        return true; // in the work directory: not part of the merged view
    case Kind::CopyUp:
    case Kind::Metacopy:
    case Kind::Modified:
        return mark(path, Mode::Node);
    case Kind::Renamed:
    case Kind::Redirect:
        if (!event.fromPath.isEmpty()) {
            const QByteArray from = encodeFileName(event.fromPath);
            // The old name is read whole too: a redirect leads lookup there in the lower layers.
            if (!mark(parentOf(from), Mode::Level) || !mark(from, Mode::Full))
                return false;
        }
        break;
    case Kind::Created:
    case Kind::Whiteout:
    case Kind::Opaque:
    case Kind::Removed:
        break;
    }
    if (path == "/" || path.isEmpty())
        return mark(path, Mode::Full);
    return mark(parentOf(path), Mode::Level) && mark(path, Mode::Full);
}

bool PatchRules::addAll(const QList<OverlayEvent> &events)
{
    return std::all_of(events.cbegin(), events.cend(), [this](const OverlayEvent &e) { return add(e); });
}

namespace
{
void collect(const PatchRules::Rule &r, const QByteArray &prefix, QList<QByteArray> &out)
{
    for (const PatchRules::Rule &c : r.children) {
        const QByteArray p = prefix + '/' + c.name;
        out << p;
        collect(c, p, out);
    }
}
} // namespace

QList<QByteArray> PatchRules::paths() const
{
    QList<QByteArray> out;
    collect(m_root, QByteArray(), out);
    return out;
}

} // namespace strata
