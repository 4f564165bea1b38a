// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>
#include <QDialog>
#include <QString>

class QPlainTextEdit;
class QTabWidget;

namespace strata
{

/// A file of a merged view shown read-only, as text and as a hex dump: what a read-only view
/// (an image, a container, a layer alone) offers instead of an editor that could not save. It
/// reads the file where the merged view found it, at most MaxBytes of it.
class FileViewer final : public QDialog
{
    Q_OBJECT
public:
    static constexpr qint64 MaxBytes = 1 << 20;

    explicit FileViewer(QWidget *parent = nullptr);

    /// Shows `diskPath`'s bytes as the merged path `path`; false (with why, in the view) when
    /// it cannot be read.
    bool showFile(const QString &path, const QString &diskPath);
    [[nodiscard]] QString text() const;
    [[nodiscard]] QString hex() const;

    /// "00000000  61 64 64 65 64 0a                                |added.|": 16 bytes a line.
    [[nodiscard]] static QString hexDump(const QByteArray &bytes);

private:
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPlainTextEdit *m_hex = nullptr;
};

} // namespace strata
