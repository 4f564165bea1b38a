// SPDX-License-Identifier: GPL-2.0-or-later
#include "fakeimagearchive.h"

#include "tests/support/tarbuilder.h"

namespace strata::test
{

bool FakeImageArchive::write(const QString &dir)
{
    path = dir + QStringLiteral("/gui-archive.tar");
    TarBuilder base;
    base.dir("bin/").file("bin/sh", "#!busybox\n", 0755).dir("etc/").file("etc/hostname", "archive\n");
    TarBuilder app;
    app.dir("app/").file("app/takbir.txt", "Allahu Akbar\n");
    TarBuilder top;
    top.dir("app/").file("app/.wh.takbir.txt").file("app/out.txt", "Allahu Akbar\n");
    // (instruction, config only), bottom first.
    const QVector<QPair<QString, bool>> history {{QStringLiteral("/bin/sh -c #(nop) ADD file:abc123 in / "), false},
        {QStringLiteral("/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/bin:/bin"), true},
        {QStringLiteral("/bin/sh -c #(nop) COPY file:def456 in /app "), false},
        {QStringLiteral("/bin/sh -c #(nop)  LABEL org.example.course=overlayfs"), true},
        {QStringLiteral("/bin/sh -c rm /app/takbir.txt && echo 'Allahu Akbar' > /app/out.txt"), false},
        {QStringLiteral("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]"), true}};
    instructions.clear();
    for (const auto &entry : history)
        instructions << entry.first;
    return TarBuilder::write(path,
        TarBuilder::dockerSave(
            {base.bytes(), app.bytes(), top.bytes()}, QStringLiteral("gui/archive:v1"), {}, {}, history));
}

} // namespace strata::test
