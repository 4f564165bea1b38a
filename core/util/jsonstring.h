// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <string>
#include <string_view>

namespace strata
{

/// Appends `s` as a quoted JSON string. Bytes that are not valid UTF-8 become U+FFFD, so
/// the output is always valid JSON; callers that need the exact bytes add a base64 field.
void appendJsonString(std::string &out, std::string_view s);
[[nodiscard]] bool isValidUtf8(std::string_view s);
[[nodiscard]] std::string base64(std::string_view s);
/// "line L, column C" of a byte offset, for JSON parse errors people can find in an editor.
[[nodiscard]] QString lineColumn(const QByteArray &data, qsizetype offset);
/// The top-level object of a JSON document; else an error naming `source` and, for a syntax
/// error, its line and column.
[[nodiscard]] Result<QJsonObject> parseJsonObject(const QByteArray &data, const QString &source);
/// "a string", "an array", ... for error messages about JSON input.
[[nodiscard]] QString jsonTypeName(const QJsonValue &value);

} // namespace strata
