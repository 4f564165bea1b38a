// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>

namespace strata::test
{

namespace detail
{
inline QJsonValue jsonStep(const QJsonValue &v, const char *key)
{
    return v.toObject().value(QLatin1String(key));
}
inline QJsonValue jsonStep(const QJsonValue &v, int index)
{
    return v.toArray().at(index);
}
} // namespace detail

/// The value at the end of a path into JSON output: a key steps into an object, an index into
/// an array, so jsonAt(status, "overlays", 0, "mountpoint") is status.overlays[0].mountpoint.
/// Undefined where the path leads nowhere.
template<typename... Steps>
[[nodiscard]] QJsonValue jsonAt(QJsonValue v, const Steps &...steps)
{
    ((v = detail::jsonStep(v, steps)), ...);
    return v;
}

} // namespace strata::test
