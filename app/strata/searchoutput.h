// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/pathexplanation.h"
#include "core/image/storeproblem.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace strata
{

class Console;
class LayerSearch;

/// What every store family prints alike for `find`, `grep` and `explain` (`strata docker`,
/// `strata image`): the same lines and the same JSON, whatever holds the layers.
class SearchOutput final
{
public:
    struct Request {
        bool grep = false;
        QString what; ///< the glob or the text
        bool json = false;
        bool progress = false; ///< a note on stderr every half second
    };

    /// Runs the search and streams its hits; `root` and `storeProblems` are the store's. The
    /// exit status.
    [[nodiscard]] static int run(Console &console,
        LayerSearch &search,
        const Request &s,
        const QString &root,
        const StoreProblems &storeProblems);
    /// An explanation for people or as JSON; the exit status.
    [[nodiscard]] static int explanation(Console &console, const Result<PathExplanation> &x, bool json);
    /// Bytes shown in a terminal: control characters and invalid UTF-8 as \xNN.
    [[nodiscard]] static QString printable(const QByteArray &b);
};

} // namespace strata
