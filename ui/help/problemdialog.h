// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/problemreport.h"

#include <QDialog>

class QPlainTextEdit;

namespace strata
{

/// Help → Report a Problem…: the ProblemReport text with the display's facts added, to fill in
/// and copy into a bug report. Nothing leaves the machine.
class ProblemDialog final : public QDialog
{
    Q_OBJECT
public:
    ProblemDialog(ProblemReport::Context context, const BackendPolicy &policy, QWidget *parent = nullptr);

    [[nodiscard]] QString text() const;
    /// The platform plugin and every screen: name, size, device pixel ratio.
    [[nodiscard]] static QString displayFacts();

private:
    QPlainTextEdit *m_text;
};

} // namespace strata
