// SPDX-License-Identifier: GPL-2.0-or-later
#include "script.h"

#include "core/events/mergedoperation.h"
#include "core/lesson/lesson.h"
#include "core/util/number.h"
#include "core/util/status.h"

#include <QCommandLineParser>

#include <cerrno>

namespace strata
{

namespace
{
QCommandLineOption option(const char *name, const char *help, const char *value = nullptr)
{
    return value ? QCommandLineOption(QLatin1String(name), QLatin1String(help), QLatin1String(value))
                 : QCommandLineOption(QLatin1String(name), QLatin1String(help));
}
// --to-step N names a step of --lesson's lesson; --mid needs --to-step.
Status readToStep(const QCommandLineParser &p, Script &s)
{
    s.mid = p.isSet(QStringLiteral("mid"));
    if (!p.isSet(QStringLiteral("to-step"))) {
        if (s.mid)
            return Error {EINVAL, QStringLiteral("--mid needs --to-step N")};
        return {};
    }
    const auto lesson = s.lesson.isEmpty() ? Result<Lesson>(Error {EINVAL, {}}) : Lesson::load(s.lesson);
    if (!lesson)
        return Error {EINVAL, QStringLiteral("--to-step needs --lesson naming a lesson (e.g. blog)")};
    const QString value = p.value(QStringLiteral("to-step"));
    const auto count = static_cast<qint64>(lesson->steps().size());
    const auto n = parseInteger(value, 1, count);
    if (!n)
        return Error {EINVAL,
            QStringLiteral("--to-step takes a step of %1, 1 to %2, not \"%3\"").arg(s.lesson).arg(count).arg(value)};
    s.toStep = static_cast<int>(*n);
    s.toStepEdits = !lesson->steps().at(*s.toStep - 1).edit.isEmpty();
    return {};
}
} // namespace

bool Script::waitsForTree() const
{
    return (!images || !dockerOpen.isEmpty() || !workspace.isEmpty()) && replay.isEmpty();
}

Result<Script> Script::fromArguments(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Stratascope makes Linux OverlayFS visible."));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("workspace"),
        QStringLiteral("A workspace file or directory. Without one, the built-in blog lesson is created in a fresh "
                       "temporary folder."),
        QStringLiteral("[WORKSPACE]"));
    p.addOptions({option("lesson", "Start on a built-in scenario (blog, stacked, docker-like) or lesson.", "NAME"),
        option("select", "Select a merged path, e.g. /base_image/common.txt.", "PATH"),
        option("screenshot", "Save the window as PNG once the view is ready.", "PNG"),
        option("screenshot-delay",
            "Milliseconds to wait after the last step before --screenshot (to catch an animation half-way, say); "
            "default 300.",
            "MS"),
        option("quit", "Quit once the view is ready (after --screenshot)."),
        option("images", "Open the Images & Containers panel: every image store of this host, read-only."),
        option("docker",
            "Open the Images & Containers panel on the Docker root ROOT (default /var/lib/docker): --docker, "
            "--docker ROOT or --docker=ROOT.",
            "ROOT"),
        option(
            "docker-open", "With --docker: show this container or image (name, tag or ID) in the merged view.", "REF"),
        option("edit",
            "An edit to make once the view is ready, as for `strata op`, in one argument: \"rm "
            "/base_image/common.txt\", "
            "\"write '/a b' some text\" (quotes as in a shell); repeat for several, in order.",
            "VERB ARGS"),
        option("backend",
            "How edits reach the overlay: auto (root: kernel; else a user namespace; else fuse; else the engine), "
            "kernel, userns, fuse or engine.",
            "B"),
        option("replay",
            "Play a lesson (built-in name or .lesson file) to its end, step by step, then --screenshot / "
            "--quit.",
            "LESSON"),
        option("presentation", "Start in presentation mode (large, high contrast)."),
        option("dark", "Use a dark palette (the Fusion style), whatever the desktop's."),
        option("side-by-side", "Start on the layers shown side by side (the default)."),
        option("merged-only", "Start on the merged view alone, without the layer columns."),
        option("to-step",
            "With --lesson: play steps 1 to N-1 without animations and step N at normal speed, then "
            "--screenshot once its captions and animations are over.",
            "N"),
        option("mid", "With --to-step: take the screenshot in the middle phase of step N's animation instead.")});
    // "--docker" may come without ROOT: give it the default so the parser accepts it.
    QStringList args = arguments;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--docker")
            && (i + 1 == args.size() || args.at(i + 1).startsWith(QLatin1Char('-'))))
            args[i] = QStringLiteral("--docker=/var/lib/docker");
    }
    p.process(args);
    Script s;
    s.workspace = p.positionalArguments().value(0);
    s.lesson = p.value(QStringLiteral("lesson"));
    s.replay = p.value(QStringLiteral("replay"));
    s.docker = p.isSet(QStringLiteral("docker"));
    s.images = s.docker || p.isSet(QStringLiteral("images"));
    s.dockerRoot = p.value(QStringLiteral("docker"));
    s.dockerOpen = p.value(QStringLiteral("docker-open"));
    s.edits = p.values(QStringLiteral("edit"));
    for (const QString &e : std::as_const(s.edits)) {
        if (const auto op = MergedOperation::parseLine(e); !op)
            return Error {EINVAL, QStringLiteral("--edit \"%1\": %2").arg(e, op.error().message)};
    }
    s.select = p.value(QStringLiteral("select"));
    s.screenshot = p.value(QStringLiteral("screenshot"));
    s.quit = p.isSet(QStringLiteral("quit"));
    s.mergedOnly = p.isSet(QStringLiteral("merged-only")) && !p.isSet(QStringLiteral("side-by-side"));
    s.presentation = p.isSet(QStringLiteral("presentation"));
    s.dark = p.isSet(QStringLiteral("dark"));
    if (p.isSet(QStringLiteral("screenshot-delay"))) {
        bool ok = false;
        s.screenshotDelayMs = p.value(QStringLiteral("screenshot-delay")).toInt(&ok);
        if (!ok || *s.screenshotDelayMs < 0)
            return Error {EINVAL,
                QStringLiteral("--screenshot-delay takes milliseconds, not \"%1\"")
                    .arg(p.value(QStringLiteral("screenshot-delay")))};
    }
    if (const Status st = readToStep(p, s); !st)
        return st.error();
    const QString backend = p.value(QStringLiteral("backend"));
    const auto parsed = parseBackend(backend.isEmpty() ? QStringLiteral("auto") : backend);
    if (!parsed)
        return Error {
            EINVAL, QStringLiteral("unknown backend \"%1\"; one of: auto, kernel, userns, fuse, engine").arg(backend)};
    s.backend = *parsed;
    return s;
}

} // namespace strata
