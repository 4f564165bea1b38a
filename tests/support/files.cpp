// SPDX-License-Identifier: GPL-2.0-or-later
#include "files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace strata::test
{

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace strata::test
