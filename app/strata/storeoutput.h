// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/historyentry.h"
#include "core/image/storecontainer.h"
#include "core/image/storeimage.h"
#include "core/image/storelayer.h"
#include "core/image/storeproblem.h"

#include <QString>
#include <QVector>

#include <string>

namespace strata
{

class Console;
class JsonWriter;

/// What the store families (`strata docker`, `strata image`) print alike: sizes, columns,
/// problems and history entries, for people and as JSON.
class StoreOutput final
{
public:
    /// Sizes as `docker images` prints them: decimal units, three significant digits.
    [[nodiscard]] static QString humanSize(qint64 size);
    /// Left-justified in a column, and always followed by at least one space.
    [[nodiscard]] static QString pad(const QString &s, int width);
    /// The first problems as warnings on stderr (all of them are in --json).
    static void warnProblems(Console &console, const StoreProblems &problems);
    static void writeProblems(JsonWriter &w, const StoreProblems &problems);
    /// The end of a listing's object: its "problems", the object closed, the text written.
    [[nodiscard]] static int endListing(
        Console &console, JsonWriter &w, std::string &out, const StoreProblems &problems);
    /// A container's directories under its row of a `containers` table, for people: upper,
    /// init, merged (while mounted), the lowers, top first, and its problems.
    [[nodiscard]] static QString containerLines(const StoreContainer &c);
    static void writeHistory(JsonWriter &w, const HistoryEntry &h);
    /// The end of an image's `layers` object: history, history_matches, error, problems.
    static void writeImageEnd(JsonWriter &w, const StoreImage &image);
    /// A layer's created_by, created_by_raw and history_index: null when no history entry
    /// made it, for nothing is known then of how it was made.
    static void writeMadeBy(JsonWriter &w, const QString &createdBy, const QString &createdByRaw, int historyIndex);
    /// The text as UTF-8 bytes for Console::write.
    [[nodiscard]] static std::string utf8(const QString &s);
    /// The end of a row of a `layers` table: the instruction that made the layer, then its
    /// directory and its problems on lines of their own.
    [[nodiscard]] static QString layerRowEnd(const StoreLayer &l);
    /// "history, oldest first:" and a historyLine() per entry.
    [[nodiscard]] static QString historySection(const QVector<HistoryEntry> &history);
    /// "  layer 3   RUN …" / "  no layer  CMD …", one line.
    [[nodiscard]] static QString historyLine(const HistoryEntry &h);
};

} // namespace strata
