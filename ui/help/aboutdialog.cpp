// SPDX-License-Identifier: GPL-2.0-or-later
#include "aboutdialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QSysInfo>
#include <QUrl>
#include <QVBoxLayout>

namespace strata
{

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Stratascope"));
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(html());
    label->setObjectName(QStringLiteral("aboutText"));
    label->setTextFormat(Qt::RichText);
    label->setWordWrap(true);
    label->setOpenExternalLinks(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction); // Tab reaches the link, Enter opens it
    layout->addWidget(label);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
}

QString AboutDialog::docsLink()
{
    // Next to the program (a build or an install), else the project's docs.
    for (const QString &rel : {QStringLiteral("/../share/doc/stratascope"),
             QStringLiteral("/../docs"),
             QStringLiteral("/../../docs"),
             QStringLiteral("/../../../docs")}) {
        const QFileInfo dir(QCoreApplication::applicationDirPath() + rel);
        if (dir.isDir() && QFileInfo::exists(dir.filePath() + QStringLiteral("/architecture.md")))
            return QUrl::fromLocalFile(QDir::cleanPath(dir.absoluteFilePath())).toString();
    }
    return {};
}

QString AboutDialog::html()
{
    const QString version = QCoreApplication::applicationVersion().isEmpty() ? QStringLiteral(STRATA_VERSION)
                                                                             : QCoreApplication::applicationVersion();
    const QString docs = docsLink();
    return tr("<h2>Stratascope %1</h2>"
              "<p>Makes Linux OverlayFS visible: lower, upper, work and merged side by side, and what the kernel "
              "does on every edit.</p>"
              "<p>Licence: GNU General Public License, version 2 or later (GPL-2.0-or-later).</p>"
              "<p>Qt %2 (built with %3) · kernel %4 %5</p>"
              "<p>Documentation: %6</p>")
        .arg(version.toHtmlEscaped(),
            QString::fromLatin1(qVersion()),
            QStringLiteral(QT_VERSION_STR),
            QSysInfo::kernelType().toHtmlEscaped(),
            QSysInfo::kernelVersion().toHtmlEscaped(),
            docs.isEmpty() ? tr("README.md and the docs/ folder of the source")
                           : QStringLiteral("<a href=\"%1\">%2</a>")
                                 .arg(docs.toHtmlEscaped(), QUrl(docs).toLocalFile().toHtmlEscaped()));
}

} // namespace strata
