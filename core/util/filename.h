// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace strata
{

/// File names are bytes; a QString carries them without loss when it is made and read back
/// with these two (instead of QFile::decodeName/encodeName, which turn bytes that are not
/// UTF-8 into U+FFFD). Valid UTF-8 decodes as usual; every other byte becomes the lone
/// surrogate U+DC80..U+DCFF ("surrogateescape", PEP 383), which encodeFileName() turns back
/// into that byte. Such a QString prints as U+FFFD elsewhere, and JsonWriter::path() adds the
/// exact bytes in "<key>_base64".
[[nodiscard]] QString decodeFileName(QByteArrayView bytes);
[[nodiscard]] QByteArray encodeFileName(QStringView name);
/// True when `name` holds a byte that is not UTF-8 (an escape of decodeFileName()).
[[nodiscard]] bool hasEscapedBytes(QStringView name);

/// The first `maxBytes` of the file named `fileName` (a decodeFileName() name: QFile cannot
/// open one that is not UTF-8). Error code: the errno of open or read.
[[nodiscard]] Result<QByteArray> readFileBytes(const QString &fileName, qint64 maxBytes);
/// The first `maxBytes` read from `fd` (left open); errors name `fileName`.
[[nodiscard]] Result<QByteArray> readOpenFile(int fd, qint64 maxBytes, const QString &fileName);

/// Text as a terminal may show it: control characters (C0, DEL, C1) and bytes that are not
/// UTF-8 as \xNN (\u00NN for C1), so that a name cannot move the cursor or retitle the window.
/// `keepLineBreaks`: '\n' and '\t' stay (whole messages); false: they are escaped too (a name).
[[nodiscard]] QString printableText(QStringView text, bool keepLineBreaks = false);

} // namespace strata
