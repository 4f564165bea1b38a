// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

namespace strata
{

/// Help → About: the version, the licence, the Qt and kernel it runs on, where the docs are.
class AboutDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// The dialog's words, as HTML.
    [[nodiscard]] static QString html();
    /// The docs/ folder beside the program (a build or an install) as a file URL; empty if none.
    [[nodiscard]] static QString docsLink();
};

} // namespace strata
