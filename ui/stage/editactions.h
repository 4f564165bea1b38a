// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace strata
{

/// The edits a user makes in the merged view (Edit menu, context menus, tool bar): new file,
/// new folder, edit text, rename, delete, chmod, touch, symlink. Each asks what it needs in a
/// dialog and emits editRequested() with a `strata op` verb and its arguments.
class EditActions final : public QObject
{
    Q_OBJECT
public:
    /// What is selected in the merged view.
    struct Selection {
        QString path; ///< merged path; empty: nothing selected
        bool isDir = false;
        QString diskPath; ///< where its content is read from
    };
    using SelectionFn = std::function<Selection()>;

    EditActions(QWidget *dialogParent, SelectionFn selection);

    /// Every action, in menu order.
    [[nodiscard]] const QList<QAction *> &actions() const { return m_actions; }
    [[nodiscard]] QAction *newFile() const { return m_newFile; }
    [[nodiscard]] QAction *editText() const { return m_editText; }
    [[nodiscard]] QAction *remove() const { return m_delete; }
    void setEnabled(bool on);

Q_SIGNALS:
    void editRequested(const QStringList &verbAndArgs);

private:
    QAction *add(const QString &text, const QKeySequence &key, int icon, std::function<void()> run);
    [[nodiscard]] QString directory() const;
    [[nodiscard]] static QString join(const QString &dir, const QString &name);
    void askText();
    void askName(const QString &verb, const QString &title);

    QWidget *m_parent;
    SelectionFn m_selection;
    QList<QAction *> m_actions;
    QAction *m_newFile = nullptr;
    QAction *m_editText = nullptr;
    QAction *m_delete = nullptr;
};

} // namespace strata
