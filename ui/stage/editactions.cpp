// SPDX-License-Identifier: GPL-2.0-or-later
#include "editactions.h"

#include "core/util/filename.h"

#include <QAction>
#include <QInputDialog>
#include <QLineEdit>
#include <QStyle>
#include <QWidget>

namespace strata
{

EditActions::EditActions(QWidget *dialogParent, SelectionFn selection)
    : QObject(dialogParent), m_parent(dialogParent), m_selection(std::move(selection))
{
    m_newFile = add(tr("New &File…"), QKeySequence::New, QStyle::SP_FileIcon, [this] {
        askName(QStringLiteral("write"), tr("New file"));
    });
    add(tr("New F&older…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), QStyle::SP_FileDialogNewFolder, [this] {
        askName(QStringLiteral("mkdir"), tr("New folder"));
    });
    m_editText = add(tr("&Edit Text…"), QKeySequence(Qt::CTRL | Qt::Key_E), QStyle::SP_FileDialogDetailedView, [this] {
        askText();
    });
    add(tr("&Rename…"), QKeySequence(Qt::Key_F2), QStyle::SP_FileDialogContentsView, [this] {
        const QString p = m_selection().path;
        if (p.isEmpty())
            return;
        const QString to
            = QInputDialog::getText(m_parent, tr("Rename"), tr("New path for %1:").arg(p), QLineEdit::Normal, p);
        if (!to.isEmpty() && to != p)
            Q_EMIT editRequested({QStringLiteral("mv"), p, to});
    });
    m_delete = add(tr("&Delete"), QKeySequence::Delete, QStyle::SP_TrashIcon, [this] {
        const Selection s = m_selection();
        if (!s.path.isEmpty())
            Q_EMIT editRequested({s.isDir ? QStringLiteral("rm-r") : QStringLiteral("rm"), s.path});
    });
    add(tr("&Permissions (chmod)…"), QKeySequence(Qt::CTRL | Qt::Key_M), QStyle::SP_FileDialogInfoView, [this] {
        const QString p = m_selection().path;
        if (p.isEmpty())
            return;
        const QString mode = QInputDialog::getText(
            m_parent, tr("chmod"), tr("Octal mode for %1:").arg(p), QLineEdit::Normal, QStringLiteral("644"));
        if (!mode.isEmpty())
            Q_EMIT editRequested({QStringLiteral("chmod"), mode, p});
    });
    add(tr("&Touch"), QKeySequence(Qt::CTRL | Qt::Key_T), QStyle::SP_BrowserReload, [this] {
        const QString p = m_selection().path;
        if (!p.isEmpty())
            Q_EMIT editRequested({QStringLiteral("touch"), p});
    });
    add(tr("&Symlink…"), QKeySequence(Qt::CTRL | Qt::Key_L), QStyle::SP_FileLinkIcon, [this] {
        const QString name
            = QInputDialog::getText(m_parent, tr("Symbolic link"), tr("Name of the link in %1:").arg(directory()));
        if (name.isEmpty())
            return;
        const QString target = QInputDialog::getText(m_parent, tr("Symbolic link"), tr("Target of %1:").arg(name));
        if (!target.isEmpty())
            Q_EMIT editRequested({QStringLiteral("ln-s"), target, join(directory(), name)});
    });
}

QAction *EditActions::add(const QString &text, const QKeySequence &key, int icon, std::function<void()> run)
{
    auto *a = new QAction(m_parent->style()->standardIcon(static_cast<QStyle::StandardPixmap>(icon)), text, this);
    a->setShortcut(key);
    connect(a, &QAction::triggered, this, std::move(run));
    m_actions << a;
    return a;
}

void EditActions::setEnabled(bool on)
{
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(on);
}

QString EditActions::directory() const
{
    // New entries go into the selected directory, or beside the selected file.
    const Selection s = m_selection();
    if (s.path.isEmpty())
        return QStringLiteral("/");
    return s.isDir ? s.path : s.path.left(s.path.lastIndexOf(QLatin1Char('/')) + 1);
}

QString EditActions::join(const QString &dir, const QString &name)
{
    return dir.endsWith(QLatin1Char('/')) ? QString(dir + name) : QString(dir + QLatin1Char('/') + name);
}

void EditActions::askName(const QString &verb, const QString &title)
{
    const QString name = QInputDialog::getText(m_parent, title, tr("Name in %1:").arg(directory()));
    if (name.isEmpty())
        return;
    QStringList edit {verb, join(directory(), name)};
    if (verb == QLatin1String("write"))
        edit << QString();
    Q_EMIT editRequested(edit);
}

void EditActions::askText()
{
    const Selection s = m_selection();
    if (s.path.isEmpty())
        return;
    const auto read = readFileBytes(s.diskPath, 1 << 20); // the disk path's bytes: any name opens
    const QString before = read ? QString::fromUtf8(*read) : QString();
    bool ok = false;
    QString text = QInputDialog::getMultiLineText(m_parent, tr("Edit %1").arg(s.path), tr("Contents:"), before, &ok);
    if (!ok || text == before)
        return;
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1); // write adds the final newline
    Q_EMIT editRequested({QStringLiteral("write"), s.path, text});
}

} // namespace strata
