// SPDX-License-Identifier: GPL-2.0-or-later
#include "fuzztargets.h"

#include <QString>
#include <QtGlobal>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace strata::fuzz
{

std::span<const Target> targets()
{
    static constexpr std::array<Target, 10> all {{
        {"workspace", workspace},
        {"lesson", lesson},
        {"docker_json", dockerJson},
        {"docker_root", dockerRoot},
        {"mountinfo", mountInfo},
        {"merged_operation", mergedOperation},
        {"json_writer", jsonWriter},
        {"layer_tar", layerTar},
        {"image_archive", imageArchive},
        {"bolt", bolt},
    }};
    return all;
}

void require(bool ok, const char *what)
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
    std::abort();
}

void quietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
            std::abort();
        }
    });
}

} // namespace strata::fuzz
