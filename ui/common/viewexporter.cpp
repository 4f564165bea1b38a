// SPDX-License-Identifier: GPL-2.0-or-later
#include "viewexporter.h"

#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

#include <cerrno>

namespace strata
{

Status ViewExporter::save(QWidget *what, const QString &file, const QString &title, const QString &description)
{
    if (file.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(what->size());
        svg.setViewBox(QRect(QPoint(0, 0), what->size()));
        svg.setTitle(title);
        svg.setDescription(description);
        QPainter painter;
        if (!painter.begin(&svg))
            return Error {EIO, QStringLiteral("%1: cannot write").arg(file)};
        what->render(&painter);
        painter.end();
        if (QFileInfo(file).size() <= 0)
            return Error {EIO, QStringLiteral("%1: nothing was written").arg(file)};
        return {};
    }
    if (!what->grab().save(file, file.endsWith(QLatin1String(".png"), Qt::CaseInsensitive) ? "PNG" : nullptr))
        return Error {EIO, QStringLiteral("%1: cannot write (use .png or .svg)").arg(file)};
    return {};
}

} // namespace strata
