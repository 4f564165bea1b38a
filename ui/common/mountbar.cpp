// SPDX-License-Identifier: GPL-2.0-or-later
#include "mountbar.h"

#include "core/session/stalemounts.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace strata
{

namespace
{
QToolButton *button(QAction *action)
{
    auto *b = new QToolButton;
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return b;
}
} // namespace

MountBar::MountBar(MountController *mounts, QWidget *parent) : QWidget(parent), m_mounts(mounts)
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    m_command = new QLabel;
    m_command->setObjectName(QStringLiteral("mountCommand"));
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setWordWrap(true);
    m_command->setStyleSheet(QStringLiteral("font-family: monospace; padding: 4px; border: 1px solid palette(mid);"));
    v->addWidget(m_command);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Backend:")));
    m_backendCombo = new QComboBox;
    m_backendCombo->setObjectName(QStringLiteral("backendCombo"));
    auto *items = new QStandardItemModel(m_backendCombo);
    for (const BackendPolicy::Info &b : m_mounts->policy().backends()) {
        auto *item = new QStandardItem(b.label);
        item->setData(static_cast<int>(b.backend), Qt::UserRole);
        // Shown but not choosable where it cannot work, with the reason.
        if (!b.usable) {
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
            item->setText(tr("%1 — unavailable").arg(b.label));
        }
        item->setToolTip(b.usable ? (b.mountable ? b.label : b.mountProblem) : b.problem);
        items->appendRow(item);
    }
    m_backendCombo->setModel(items);
    // Narrow windows (a scale factor of 2) may cut the label; its tooltip and popup stay whole.
    m_backendCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_backendCombo->setMinimumContentsLength(14);
    connect(m_backendCombo, &QComboBox::activated, this, [this](int index) {
        Q_EMIT backendChosen(static_cast<Backend>(m_backendCombo->itemData(index).toInt()));
    });
    row->addWidget(m_backendCombo);

    m_mountAction = new QAction(style()->standardIcon(QStyle::SP_DriveHDIcon), tr("&Mount"), this);
    m_mountAction->setObjectName(QStringLiteral("mountAction"));
    m_mountAction->setCheckable(true);
    m_mountAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(m_mountAction, &QAction::triggered, this, &MountBar::mountRequested);
    row->addWidget(button(m_mountAction));

    m_terminalAction = new QAction(style()->standardIcon(QStyle::SP_ComputerIcon), tr("Open &Terminal Here"), this);
    m_terminalAction->setObjectName(QStringLiteral("openTerminal"));
    m_terminalAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_T));
    connect(m_terminalAction, &QAction::triggered, this, &MountBar::terminalRequested);
    row->addWidget(button(m_terminalAction));

    m_state = new QLabel;
    m_state->setObjectName(QStringLiteral("mountState"));
    m_state->setWordWrap(true);
    row->addWidget(m_state, 1);
    v->addLayout(row);

    connect(m_mounts, &MountController::mountedChanged, this, &MountBar::refresh);
    connect(m_mounts, &MountController::backendChanged, this, &MountBar::refresh);
    refresh();
}

int MountBar::offerStaleCleanup(QString *status)
{
    const auto stale = StaleMounts::list();
    if (!stale || stale->isEmpty())
        return 0;
    const int count = static_cast<int>(stale->size());
    QStringList lines;
    for (const StaleMounts::Mount &m : *stale)
        lines << tr("%1 (overlay %2 of %3)").arg(m.mountPoint, m.overlay, m.workspace);
    const QString text
        = tr("Stratascope found overlay mounts left behind by a process that ended without unmounting them:\n\n%1\n\n"
             "Unmount them now?")
              .arg(lines.join(QLatin1Char('\n')));
    const bool interactive = QApplication::platformName() != QLatin1String("offscreen");
    if (interactive && QMessageBox::question(window(), tr("Stale mounts"), text) != QMessageBox::Yes) {
        *status = tr("%n stale mount(s) left in place; `strata umount --stale` removes them.", nullptr, count);
        return count;
    }
    QStringList failed;
    for (const StaleMounts::Mount &m : *stale) {
        if (const Status s = StaleMounts::remove(m); !s.ok())
            failed << s.error().message;
    }
    *status = failed.isEmpty() ? tr("Removed %n stale mount(s).", nullptr, count)
                               : tr("Could not remove every stale mount: %1").arg(failed.join(QStringLiteral("; ")));
    return count;
}

QString MountBar::commandText() const
{
    return m_command->text();
}

void MountBar::showOverlay(const Workspace &workspace, int index)
{
    m_workspace = workspace;
    m_overlay = index;
    refresh();
}

void MountBar::showReadOnly(const QString &text)
{
    m_workspace.reset();
    m_overlay = -1;
    refresh();
    m_command->setText(text);
}

void MountBar::setCompact(bool on)
{
    m_command->setVisible(!on);
}

void MountBar::setBusy(bool busy)
{
    m_busy = busy;
    refresh();
}

QString MountBar::mountCommand() const
{
    return m_mounts->policy().mountCommand(*m_workspace, m_overlay, m_mounts->backend());
}

void MountBar::refresh()
{
    const int row = m_backendCombo->findData(static_cast<int>(m_mounts->backend()));
    if (row >= 0 && m_backendCombo->currentIndex() != row) {
        const QSignalBlocker block(m_backendCombo);
        m_backendCombo->setCurrentIndex(row);
    }
    const bool overlay = m_mounts->hasOverlay();
    const Backend effective = m_mounts->effectiveBackend();
    const BackendPolicy::Info info = m_mounts->policy().info(effective);
    const bool mounted = overlay && m_mounts->isMounted();
    {
        const QSignalBlocker block(m_mountAction);
        m_mountAction->setChecked(mounted);
    }
    m_mountAction->setText(mounted ? tr("Un&mount") : tr("&Mount"));
    m_mountAction->setEnabled(!m_busy && overlay && (mounted || info.mountable));
    m_mountAction->setToolTip(mounted ? tr("Unmount %1").arg(m_mounts->mergedDirectory())
                                      : (info.mountable ? tr("Mount the overlay here") : info.mountProblem));
    m_terminalAction->setEnabled(overlay);
    m_backendCombo->setEnabled(!m_busy && overlay);
    // A short state with a symbol; the sentence in the tooltip.
    if (!overlay) {
        m_state->setText(tr("Read-only"));
        m_state->setToolTip(tr("A read-only view: nothing is mounted or written."));
    } else if (mounted) {
        m_state->setText(tr("● Mounted"));
        m_state->setToolTip(tr("Mounted at %1%2")
                                .arg(QDir::toNativeSeparators(m_mounts->mergedDirectory()),
                                    m_mounts->ownsMount() ? QString() : tr(" (by another program)")));
    } else {
        m_state->setText(tr("○ Not mounted"));
        m_state->setToolTip(effective == Backend::Engine
                ? tr("The userspace engine edits the layer directories: no mount at all.")
                : tr("Each edit gets its own private mount, gone right after."));
    }
    if (overlay && m_workspace && m_overlay >= 0)
        m_command->setText(mountCommand());
}

} // namespace strata
