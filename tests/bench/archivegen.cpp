// SPDX-License-Identifier: GPL-2.0-or-later
// Writes the archive benchmark's image: a `docker save` of LAYERS layers of about FILES/LAYERS
// entries each (every layer also deletes one directory of the layer below it), and the same
// layer tars alone in DIR/layers/ for `tar -tvf`. Prints the number of tar entries.
// With "overwrite" (the analysis benchmark) the layers share one tree instead: every other file
// of a layer overwrites one of the layer below, and each layer deletes a directory of it.
// Usage: strata_archivegen DIR [LAYERS] [FILES] [overwrite]
#include "tests/support/tarbuilder.h"

#include <QCoreApplication>
#include <QDir>
#include <QSet>

#include <cstdio>

using strata::test::TarBuilder;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: strata_archivegen DIR [LAYERS] [FILES]\n");
        return 2;
    }
    const QString dir = args.at(1);
    const int layerCount = args.size() > 2 ? args.at(2).toInt() : 20;
    const int files = args.size() > 3 ? args.at(3).toInt() : 200000;
    const int perLayer = files / layerCount;
    const int perDir = 100;
    const bool overwrite = args.size() > 4 && args.at(4) == QLatin1String("overwrite");
    QDir().mkpath(dir + QStringLiteral("/layers"));
    QVector<QByteArray> layers;
    qint64 entries = 0;
    for (int l = 0; l < layerCount; ++l) {
        TarBuilder t;
        if (overwrite) {
            if (l > 0)
                t.file("data/d" + QByteArray::number((l - 1) * perLayer / perDir + 1) + "/.wh.f1");
            // The overwritten half first, then the new half: each directory once per layer (a
            // directory where the halves meet too: `docker load` refuses a path twice).
            QSet<QByteArray> dirs;
            for (int pass = 0; pass < 2; ++pass) {
                for (int f = pass; f < perLayer; f += 2) {
                    const int index = (l > 0 && pass == 0) ? (l - 1) * perLayer + f : l * perLayer + f;
                    const QByteArray d = "data/d" + QByteArray::number(index / perDir) + '/';
                    if (!dirs.contains(d)) {
                        t.dir(d);
                        dirs.insert(d);
                    }
                    t.file(d + 'f' + QByteArray::number(index % perDir), QByteArray(f % 10 == 0 ? 100 + l : 0, 'x'));
                }
            }
            entries += t.size();
            layers << t.bytes();
            if (!TarBuilder::write(
                    dir + QStringLiteral("/layers/%1.tar").arg(l, 2, 10, QLatin1Char('0')), layers.last()))
                return 1;
            continue;
        }
        const QByteArray top = "layer" + QByteArray::number(l) + '/';
        t.dir(top);
        if (l > 0)
            t.file("layer" + QByteArray::number(l - 1) + "/d0/.wh.f0");
        for (int f = 0; f < perLayer; ++f) {
            const QByteArray sub = top + 'd' + QByteArray::number(f / perDir) + '/';
            if (f % perDir == 0)
                t.dir(sub);
            t.file(
                sub + 'f' + QByteArray::number(f % perDir), f % 10 == 0 ? QByteArray("some content\n") : QByteArray());
        }
        entries += t.size();
        layers << t.bytes();
        if (!TarBuilder::write(dir + QStringLiteral("/layers/%1.tar").arg(l, 2, 10, QLatin1Char('0')), layers.last()))
            return 1;
    }
    if (!TarBuilder::write(
            dir + QStringLiteral("/image.tar"), TarBuilder::dockerSave(layers, QStringLiteral("bench:1"))))
        return 1;
    std::printf("%lld\n", static_cast<long long>(entries));
    return 0;
}
