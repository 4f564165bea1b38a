// SPDX-License-Identifier: GPL-2.0-or-later
#include "randomstack.h"

#include <QHash>
#include <QSet>

#include <random>

namespace strata::test
{

QStringList RandomStack::generate(const Params &params)
{
    std::mt19937 rng(params.seed);
    auto pick = [&rng](int n) {
        return std::uniform_int_distribution<int>(0, n - 1)(rng);
    };
    QStringList pool = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")};
    if (params.nonUtf8)
        pool << QStringLiteral("n%ff%fe"); // not UTF-8
    QStringList layers;
    for (int i = params.lowerCount - 1; i >= 0; --i)
        layers << QStringLiteral("L%1").arg(i);
    if (params.withUpper)
        layers << QStringLiteral("U");

    QStringList spec;
    for (const QString &layer : layers) {
        // What this layer already holds: path -> 'f' (non-dir) or 'd' (dir).
        QHash<QString, QChar> kinds;
        QStringList files;
        QStringList createdDirs;
        const int count = 4 + pick(16);
        for (int k = 0; k < count; ++k) {
            const int depth = 1 + pick(3);
            QString path;
            for (int c = 0; c < depth; ++c)
                path += (c ? QStringLiteral("/") : QString()) + pool.at(pick(pool.size()));
            // Parents must be (or become) directories in this layer.
            bool ok = !kinds.contains(path);
            QString parent;
            for (qsizetype s = path.indexOf(QLatin1Char('/')); ok && s >= 0;
                 s = path.indexOf(QLatin1Char('/'), s + 1)) {
                parent = path.left(s);
                if (kinds.value(parent, QLatin1Char('d')) != QLatin1Char('d'))
                    ok = false;
            }
            if (!ok)
                continue;
            for (qsizetype s = path.indexOf(QLatin1Char('/')); s >= 0; s = path.indexOf(QLatin1Char('/'), s + 1))
                kinds.insert(path.left(s), QLatin1Char('d'));
            const int roll = pick(100);
            QString line;
            QChar kind = QLatin1Char('f');
            if (roll < 30) {
                line = QStringLiteral("%1 f %2 %3%4").arg(layer, path, layer, QString::number(pick(1000)));
                files << path;
            } else if (roll < 45) {
                line = QStringLiteral("%1 d %2").arg(layer, path);
                kind = QLatin1Char('d');
            } else if (roll < 60) {
                line = QStringLiteral("%1 w %2").arg(layer, path);
            } else if (roll < 68) {
                line = QStringLiteral("%1 o %2").arg(layer, path);
                kind = QLatin1Char('d');
            } else if (roll < 77) {
                static const QStringList targets = {QStringLiteral("a"),
                    QStringLiteral("../b"),
                    QStringLiteral("/etc/passwd"),
                    QStringLiteral("nowhere/x")};
                line = QStringLiteral("%1 l %2 %3").arg(layer, path, targets.at(pick(targets.size())));
            } else if (roll < 83 && !files.isEmpty()) {
                line = QStringLiteral("%1 h %2 %3").arg(layer, path, files.at(pick(files.size())));
            } else if (roll < 86) {
                line = QStringLiteral("%1 p %2").arg(layer, path);
            } else if (roll < 93) {
                // chmod a directory that exists on disk by now (never a symlink: chmod follows it)
                if (!createdDirs.isEmpty()) {
                    static const QStringList modes = {
                        QStringLiteral("700"), QStringLiteral("755"), QStringLiteral("1777"), QStringLiteral("2755")};
                    spec << QStringLiteral("%1 m %2 %3")
                                .arg(layer, createdDirs.at(pick(createdDirs.size())), modes.at(pick(modes.size())));
                }
                line = QStringLiteral("%1 d %2").arg(layer, path);
                kind = QLatin1Char('d');
            } else if (params.redirects) {
                const QString name = pool.at(pick(pool.size()));
                QString target;
                if (pick(2) == 0) {
                    target = name; // relative: a sibling in the layers below
                } else {
                    const int d2 = 1 + pick(2);
                    for (int c = 0; c < d2; ++c)
                        target += QLatin1Char('/') + pool.at(pick(pool.size()));
                }
                line = QStringLiteral("%1 r %2 %3").arg(layer, path, target);
                kind = QLatin1Char('d');
            } else {
                line = QStringLiteral("%1 d %2").arg(layer, path);
                kind = QLatin1Char('d');
            }
            kinds.insert(path, kind);
            spec << line;
            for (qsizetype s = path.indexOf(QLatin1Char('/')); s >= 0; s = path.indexOf(QLatin1Char('/'), s + 1))
                createdDirs << path.left(s);
            if (kind == QLatin1Char('d'))
                createdDirs << path;
        }
    }
    return spec;
}

} // namespace strata::test
