// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QDialog>

class QListWidget;

namespace strata
{

/// File → Lessons…: every built-in lesson with its title, step count and description; Open
/// (or a double click) plays the one chosen, with its panel.
class LessonsDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit LessonsDialog(QWidget *parent = nullptr);

    [[nodiscard]] QListWidget *list() const { return m_list; }
    /// The built-in name of the lesson chosen, empty when none is.
    [[nodiscard]] QString chosen() const;

private:
    QListWidget *m_list = nullptr;
};

} // namespace strata
