// SPDX-License-Identifier: GPL-2.0-or-later
#include "sectiontitle.h"

namespace strata
{

SectionTitle::SectionTitle(const QString &text, QWidget *parent) : QLabel(text, parent)
{
    QFont f = font();
    f.setBold(true);
    setFont(f);
}

} // namespace strata
