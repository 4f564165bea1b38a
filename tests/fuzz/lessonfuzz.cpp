// SPDX-License-Identifier: GPL-2.0-or-later
// The lesson format: an error, or steps whose edits are edits `strata op` takes.
#include "tests/fuzz/fuzztargets.h"

#include "core/events/mergedoperation.h"
#include "core/lesson/lesson.h"
#include "core/stack/scenario.h"

namespace strata::fuzz
{

void lesson(const std::uint8_t *data, std::size_t size)
{
    auto l = Lesson::fromJson(bytes(data, size), QStringLiteral("fuzz.lesson"));
    if (!l) {
        require(!l.error().message.isEmpty(), "a refused lesson says why");
        return;
    }
    require(Scenario::names().contains(l->scenario()), "a lesson plays a built-in scenario");
    require(!l->steps().isEmpty(), "a lesson has a step");
    for (const Lesson::Step &step : l->steps()) {
        require(!step.say.isEmpty(), "every step says something");
        if (step.edit.isEmpty())
            continue;
        auto op = MergedOperation::parse(step.edit);
        require(op.ok(), "a step's edit is an edit");
        (void)op->shellCommand(step.overlay.isEmpty() ? QStringLiteral("merged") : step.overlay);
        (void)op->path();
    }
}

} // namespace strata::fuzz
