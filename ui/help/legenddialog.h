// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

class QTextBrowser;

namespace strata
{

/// Help → "What am I looking at?" (F1): the Legend in a window beside the stage, rewritten
/// when the palette changes so its colours stay readable. Esc closes it.
class LegendDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit LegendDialog(QWidget *parent = nullptr);

    [[nodiscard]] QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void fill();

    QTextBrowser *m_text = nullptr;
};

} // namespace strata
