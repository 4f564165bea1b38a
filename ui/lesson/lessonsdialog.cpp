// SPDX-License-Identifier: GPL-2.0-or-later
#include "lessonsdialog.h"

#include "core/lesson/lesson.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata
{

LessonsDialog::LessonsDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Lessons"));
    setObjectName(QStringLiteral("lessonsDialog"));
    auto *v = new QVBoxLayout(this);
    v->addWidget(new QLabel(tr("Each lesson plays on a fresh copy of its scenario, step by step.")));
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("lessonList"));
    m_list->setWordWrap(true);
    m_list->setSpacing(4);
    for (const QString &name : Lesson::builtInNames()) {
        const auto lesson = Lesson::load(name);
        if (!lesson)
            continue;
        auto *item = new QListWidgetItem(tr("%1 (%n step(s))\n%2", nullptr, int(lesson->steps().size()))
                                             .arg(lesson->title(), lesson->description()));
        item->setData(Qt::UserRole, name);
        item->setToolTip(lesson->description());
        m_list->addItem(item);
    }
    m_list->setCurrentRow(0);
    v->addWidget(m_list, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    v->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    resize(560, 420);
}

QString LessonsDialog::chosen() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

} // namespace strata
