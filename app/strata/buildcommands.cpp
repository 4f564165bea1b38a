// SPDX-License-Identifier: GPL-2.0-or-later
#include "app/strata/buildcommands.h"

#include "app/strata/argparser.h"
#include "app/strata/console.h"
#include "core/mount/stackchecker.h"
#include "core/session/backend.h"
#include "core/stack/mountcommand.h"
#include "core/stack/overlayrequest.h"
#include "core/util/jsonwriter.h"

#include <cstring>

namespace strata
{

namespace
{

const QString Json = QStringLiteral("json");

void writeCheck(JsonWriter &w, const QVector<StackChecker::Overlay> &overlays)
{
    w.beginObject().key("overlays").beginArray(JsonWriter::Layout::Lines);
    for (const StackChecker::Overlay &o : overlays) {
        w.beginObject().field("name", o.name).field("accepted", o.accepted).field("tried", o.tried);
        w.key("errno").countOrNull(o.accepted || !o.tried ? -1 : o.error);
        w.field("step", o.step).field("kernel_message", o.kernelMessages.join(QLatin1Char('\n')));
        w.field("kernel_messages", o.kernelMessages).field("explanation", o.explanation);
        w.field("mount_command", o.mountCommand).endObject();
    }
    w.endArray().endObject();
}

QString checkText(const QVector<StackChecker::Overlay> &overlays)
{
    QString out;
    for (const StackChecker::Overlay &o : overlays) {
        if (!o.tried)
            out += QStringLiteral("%1: not tried (%2)\n").arg(o.name, o.explanation);
        else if (o.accepted)
            out += QStringLiteral("%1: accepted by the kernel\n").arg(o.name);
        else
            out += QStringLiteral("%1: refused by the kernel at %2: %3\n")
                       .arg(o.name, o.step, QString::fromLocal8Bit(std::strerror(o.error)));
        for (const QString &m : o.kernelMessages)
            out += QStringLiteral("  kernel: %1\n").arg(m);
        if (o.tried && !o.explanation.isEmpty())
            out += QStringLiteral("  why: %1\n").arg(o.explanation);
        out += QStringLiteral("  %1\n").arg(o.mountCommand);
    }
    return out;
}

} // namespace

BuildCommands::BuildCommands(Console &console) : m_console(console)
{
}

QStringList BuildCommands::commands() const
{
    return {QStringLiteral("new"), QStringLiteral("check")};
}

QString BuildCommands::synopsis() const
{
    return QStringLiteral(
        "Building stacks:\n"
        "  new WS [--name NAME] (--lower DIR)... | --stack-on NAME [--data-lower DIR]...\n"
        "         [--upper DIR --work DIR] [--mountpoint DIR] [--option KEY=VALUE]...\n"
        "                               add an overlay of your own directories to a workspace\n"
        "                               file (created when missing); --lower repeats, top first;\n"
        "                               --data-lower adds a data-only layer (lowerdir=a::DIR)\n"
        "  check WS [--backend kernel|userns] [--json]\n"
        "                               the kernel tries every overlay in a throwaway namespace:\n"
        "                               accepted, or refused in its own words; nothing stays mounted\n");
}

QString BuildCommands::help(const QString &) const
{
    return synopsis()
        + QStringLiteral("\nOptions (--option): redirect_dir=on|follow|nofollow|off, index=on|off, metacopy=on|off,\n"
                         "xino=on|off|auto, uuid=on|off|auto|null, nfs_export=on|off, userxattr, volatile.\n"
                         "A data-only layer (--data-lower, repeated, after the lowers) is never in the merged\n"
                         "view: it holds the data of metacopy files whose absolute overlay.redirect leads into it.\n"
                         "new never writes to a lower directory; it creates the upper, work and mountpoint\n"
                         "directories that are missing. check exits 0 when the kernel accepts every overlay,\n"
                         "1 when it refuses one.\n");
}

int BuildCommands::run(const QString &command, const QStringList &args)
{
    return command == QLatin1String("new") ? newOverlay(args) : check(args);
}

int BuildCommands::newOverlay(const QStringList &args)
{
    ArgParser p({Json},
        {QStringLiteral("name"),
            QStringLiteral("lower"),
            QStringLiteral("data-lower"),
            QStringLiteral("stack-on"),
            QStringLiteral("upper"),
            QStringLiteral("work"),
            QStringLiteral("mountpoint"),
            QStringLiteral("option")});
    const QString help = QStringLiteral("strata new --help");
    if (!p.parse(args))
        return m_console.usageError(QStringLiteral("new: %1").arg(p.error()), help);
    if (p.positionals().size() != 1)
        return m_console.usageError(
            QStringLiteral("usage: strata new WS (--lower DIR)... | --stack-on NAME [--upper DIR --work DIR]"), help);
    OverlayRequest r;
    r.name = p.value(QStringLiteral("name"));
    r.lowers = p.values(QStringLiteral("lower"));
    r.dataLowers = p.values(QStringLiteral("data-lower"));
    r.stackOn = p.value(QStringLiteral("stack-on"));
    r.upper = p.value(QStringLiteral("upper"));
    r.work = p.value(QStringLiteral("work"));
    r.mountpoint = p.value(QStringLiteral("mountpoint"));
    r.options = p.values(QStringLiteral("option"));
    if (r.lowers.isEmpty() == r.stackOn.isEmpty() || r.upper.isEmpty() != r.work.isEmpty())
        return m_console.usageError(
            QStringLiteral("new: give --lower DIR (repeated, top first) or --stack-on NAME, and --upper with --work"),
            help);
    QStringList created;
    auto ws = r.addTo(p.positionals().first(), &created);
    if (!ws)
        return m_console.failure(ws.error().message);
    const OverlaySpec &spec = ws->overlays().last();
    if (p.isSet(Json)) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        w.beginObject().field("workspace", ws->filePath()).field("overlay", spec.name);
        w.field("created", created).field("mount_command", MountCommand::shellCommand(spec));
        w.field("warnings", ws->warnings()).endObject();
        m_console.write(out + '\n');
        return Console::Success;
    }
    m_console.warn(ws->warnings());
    QString text = QStringLiteral("%1: added overlay %2 (overlay %3 of %4)\n")
                       .arg(ws->filePath(), spec.name)
                       .arg(ws->overlays().size())
                       .arg(ws->overlays().size());
    for (const QString &d : created)
        text += QStringLiteral("  created %1\n").arg(d);
    text += QStringLiteral("  %1\n").arg(MountCommand::shellCommand(spec));
    m_console.print(text);
    return Console::Success;
}

int BuildCommands::check(const QStringList &args)
{
    ArgParser p({Json}, {QStringLiteral("backend")});
    const QString help = QStringLiteral("strata check --help");
    if (!p.parse(args))
        return m_console.usageError(QStringLiteral("check: %1").arg(p.error()), help);
    if (p.positionals().size() != 1)
        return m_console.usageError(QStringLiteral("usage: strata check WS [--json]"), help);
    Backend backend = Backend::Auto;
    if (p.isSet(QStringLiteral("backend"))) {
        auto b = parseBackend(p.value(QStringLiteral("backend")));
        if (!b || (*b != Backend::Kernel && *b != Backend::Userns))
            return m_console.usageError(QStringLiteral("check: --backend must be kernel or userns"), help);
        backend = *b;
    }
    auto ws = Workspace::load(p.positionals().first());
    if (!ws)
        return m_console.failure(ws.error().message);
    auto checked = StackChecker::check(*ws, backend);
    if (!checked)
        return m_console.failure(checked.error().message);
    bool all = true;
    for (const StackChecker::Overlay &o : *checked)
        all = all && o.accepted;
    const int code = all ? Console::Success : Console::Failure;
    if (p.isSet(Json)) {
        std::string out;
        JsonWriter w(out, JsonWriter::Style::Indented);
        writeCheck(w, *checked);
        m_console.write(out + '\n');
        return code;
    }
    m_console.print(checkText(*checked));
    return code;
}

} // namespace strata
