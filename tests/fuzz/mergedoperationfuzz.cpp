// SPDX-License-Identifier: GPL-2.0-or-later
// An edit as `stratascope --edit` takes it (one line, shell words) and as `strata op` takes
// it (words): never run here, only parsed. Quoted words come back exactly; the shell
// equivalent of an edit is one command line whose control characters are all quoted.
#include "tests/fuzz/fuzztargets.h"

#include "core/events/mergedoperation.h"
#include "core/stack/mountcommand.h"

#include <cerrno>

namespace strata::fuzz
{

namespace
{
// Whether `command` (what shellQuote() and plain words make) has a control character
// outside single quotes, where a shell would act on it.
bool controlOutsideQuotes(const QString &command)
{
    bool quoted = false;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (c == QLatin1Char('\''))
            quoted = !quoted;
        else if (!quoted && c == QLatin1Char('\\'))
            ++i; // '\'' : a quote outside quotes, taken as it is
        else if (!quoted && c.unicode() < 0x20)
            return true;
    }
    return false;
}

void checkEdit(const MergedOperation &op)
{
    const QString command = op.shellCommand(QStringLiteral("merged"));
    require(!controlOutsideQuotes(command), "the shell equivalent quotes every control character");
    (void)op.path();
    // Its words, quoted, read back as the same edit.
    QString line = op.verb();
    for (const QString &arg : op.args())
        line += QLatin1Char(' ') + MountCommand::shellQuote(arg);
    auto again = MergedOperation::parseLine(line);
    require(again.ok(), "an edit written as a line parses");
    require(again->verb() == op.verb() && again->args() == op.args(), "quoted words come back exactly");
}
} // namespace

void mergedOperation(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = bytes(data, size);
    if (auto op = MergedOperation::parseLine(QString::fromUtf8(input)))
        checkEdit(*op);
    // The same bytes as `strata op` words, one per NUL-separated part.
    QStringList words;
    for (const QByteArray &w : input.split('\0'))
        words << QString::fromUtf8(w);
    if (auto op = MergedOperation::parse(words))
        checkEdit(*op);
    const int error = input.isEmpty() ? EXDEV : static_cast<unsigned char>(input[0]);
    (void)MergedOperation::explainError(words.first(), error, true);
    (void)MergedOperation::explainError(words.first(), error, false);
}

} // namespace strata::fuzz
