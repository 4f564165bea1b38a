// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QLabel>

namespace strata
{

/// A bold label heading a part of the window ("Layer stack (top first)").
class SectionTitle final : public QLabel
{
    Q_OBJECT
public:
    explicit SectionTitle(const QString &text, QWidget *parent = nullptr);
};

} // namespace strata
