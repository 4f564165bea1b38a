// SPDX-License-Identifier: GPL-2.0-or-later
#include "fileviewer.h"

#include "core/util/filename.h"
#include "ui/images/storeformat.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace strata
{

namespace
{

QPlainTextEdit *readOnlyEdit(const QString &name)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setFont(StoreFormat::fixedFont());
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    return edit;
}

} // namespace

FileViewer::FileViewer(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("fileViewer"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget;
    m_text = readOnlyEdit(QStringLiteral("fileViewerText"));
    m_hex = readOnlyEdit(QStringLiteral("fileViewerHex"));
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_hex, tr("Hex"));
    layout->addWidget(m_tabs, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 520);
}

bool FileViewer::showFile(const QString &path, const QString &diskPath)
{
    setWindowTitle(tr("%1 (read-only)").arg(path));
    const auto bytes = readFileBytes(diskPath, MaxBytes + 1);
    if (!bytes) {
        m_text->setPlainText(tr("Cannot read %1: %2").arg(diskPath, bytes.error().message));
        m_hex->clear();
        return false;
    }
    const QByteArray shown = bytes->left(MaxBytes);
    QString note;
    if (bytes->size() > MaxBytes)
        note = tr("\n… (the first %1 only)").arg(StoreFormat::size(MaxBytes));
    m_text->setPlainText(QString::fromUtf8(shown) + note);
    m_hex->setPlainText(hexDump(shown) + note);
    // Bytes that are no text: the hex view says what they are.
    m_tabs->setCurrentWidget(shown.contains('\0') ? m_hex : m_text);
    return true;
}

QString FileViewer::text() const
{
    return m_text->toPlainText();
}

QString FileViewer::hex() const
{
    return m_hex->toPlainText();
}

QString FileViewer::hexDump(const QByteArray &bytes)
{
    QString out;
    for (qsizetype at = 0; at < bytes.size(); at += 16) {
        const QByteArray line = bytes.mid(at, 16);
        QString hex;
        QString ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (i < line.size()) {
                const auto c = static_cast<unsigned char>(line.at(i));
                hex += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
                ascii += c >= 0x20 && c < 0x7f ? QLatin1Char(char(c)) : QLatin1Char('.');
            } else {
                hex += QStringLiteral("   ");
            }
            if (i == 7)
                hex += QLatin1Char(' ');
        }
        out += QStringLiteral("%1  %2 |%3|\n").arg(at, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    return out;
}

} // namespace strata
