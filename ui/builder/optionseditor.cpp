// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/builder/optionseditor.h"

#include "core/mount/optioncatalog.h"
#include "ui/builder/optionrules.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QStandardItemModel>

namespace strata
{

OptionsEditor::OptionsEditor(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setColumnStretch(1, 1);
    int line = 0;
    for (const OptionCatalog::Entry &e : OptionCatalog::entries()) {
        Row row;
        const QString key = e.key;
        if (e.isFlag()) {
            row.flag = new QCheckBox(key);
            row.flag->setObjectName(QStringLiteral("option:") + key);
            connect(row.flag, &QCheckBox::toggled, this, [this, key](bool on) {
                Q_EMIT optionChosen(key, on ? QStringLiteral("on") : QString());
            });
            grid->addWidget(row.flag, line, 0);
        } else {
            auto *box = new QWidget;
            auto *h = new QHBoxLayout(box);
            h->setContentsMargins(0, 0, 0, 0);
            h->addWidget(new QLabel(key + QLatin1Char('=')));
            row.choice = new QComboBox;
            row.choice->setObjectName(QStringLiteral("option:") + key);
            row.choice->addItem(tr("default"), QString());
            for (const QString &v : e.values)
                row.choice->addItem(v, v);
            connect(row.choice, &QComboBox::activated, this, [this, key](int i) {
                Q_EMIT optionChosen(key, m_rows.value(key).choice->itemData(i).toString());
            });
            h->addWidget(row.choice);
            grid->addWidget(box, line, 0);
        }
        row.about
            = new QLabel(QStringLiteral("%1 <a href=\"%2\">kernel doc</a>").arg(e.sentence.toHtmlEscaped(), e.link()));
        row.about->setWordWrap(true);
        row.about->setOpenExternalLinks(true);
        row.about->setToolTip(e.link());
        grid->addWidget(row.about, line, 1);
        row.reason = new QLabel;
        row.reason->setWordWrap(true);
        row.reason->setObjectName(QStringLiteral("reason:") + key);
        QFont f = row.reason->font();
        f.setItalic(true);
        row.reason->setFont(f);
        row.reason->hide();
        grid->addWidget(row.reason, line + 1, 0, 1, 2);
        m_rows.insert(key, row);
        line += 2;
    }
    grid->setRowStretch(line, 1);
    refresh();
}

void OptionsEditor::setSupport(const OptionProbe::Support &support)
{
    m_support = support;
    refresh();
}

void OptionsEditor::setOptions(const QStringList &options, bool writable)
{
    m_options = options;
    m_writable = writable;
    refresh();
}

bool OptionsEditor::isEnabled(const QString &key) const
{
    const Row row = m_rows.value(key);
    return row.flag ? row.flag->isEnabled() : row.choice && row.choice->isEnabled();
}

bool OptionsEditor::isEnabled(const QString &key, const QString &value) const
{
    const Row row = m_rows.value(key);
    if (row.flag)
        return row.flag->isEnabled();
    if (!row.choice || !row.choice->isEnabled())
        return false;
    const int i = row.choice->findData(value);
    auto *items = qobject_cast<QStandardItemModel *>(row.choice->model());
    return i >= 0 && items && items->item(i)->isEnabled();
}

QString OptionsEditor::reason(const QString &key) const
{
    const Row row = m_rows.value(key);
    return row.reason && !row.reason->isHidden() ? row.reason->toolTip() : QString();
}

QString OptionsEditor::link(const QString &key) const
{
    const OptionCatalog::Entry *e = OptionCatalog::find(key);
    return e ? e->link() : QString();
}

void OptionsEditor::showReasons(QLabel *label, const QString &key, const QList<std::pair<QString, QString>> &reasons)
{
    // One line per cause: values refused for the same one are named together, the kernel's
    // words for each stay in the tooltips.
    QStringList causes;
    QHash<QString, QStringList> values;
    QHash<QString, QStringList> whole;
    QStringList all;
    for (const auto &[value, why] : reasons) {
        const QString cause = why.section(QStringLiteral(": "), 0, 0);
        if (!causes.contains(cause))
            causes << cause;
        values[cause] << value;
        if (!whole[cause].contains(why))
            whole[cause] << why;
        all << why;
    }
    QStringList lines;
    for (const QString &cause : std::as_const(causes)) {
        const QStringList &v = values.value(cause);
        lines << (whole.value(cause).size() == 1 ? whole.value(cause).first()
                                                 : tr("%1: not %2=%3 (hover over a value for the kernel's words)")
                                                       .arg(cause, key, v.join(QStringLiteral(", "))));
    }
    label->setText(lines.join(QLatin1Char('\n')));
    label->setToolTip(all.join(QLatin1Char('\n')));
    label->setVisible(!lines.isEmpty());
}

void OptionsEditor::refresh()
{
    for (const OptionCatalog::Entry &e : OptionCatalog::entries()) {
        const Row &row = m_rows[e.key];
        const QString current = OptionRules::value(m_options, e.key);
        QList<std::pair<QString, QString>> reasons; // value, why not
        // Why a value cannot be chosen: not taken at all, or not with the others.
        auto why = [&](const QString &value) {
            QString r = OptionRules::unsupported(e.key, value, m_support);
            if (r.isEmpty())
                r = OptionRules::conflict(m_options, e.key, value, m_writable, m_support);
            return r;
        };
        if (row.flag) {
            const QSignalBlocker block(row.flag);
            row.flag->setChecked(!current.isEmpty());
            const QString r = why(QStringLiteral("on"));
            // A flag set already can always be cleared.
            row.flag->setEnabled(r.isEmpty() || !current.isEmpty());
            if (!r.isEmpty())
                reasons.append({QString(), r});
        } else {
            const QSignalBlocker block(row.choice);
            auto *items = qobject_cast<QStandardItemModel *>(row.choice->model());
            int enabled = 0;
            for (int i = 1; i < row.choice->count(); ++i) {
                const QString v = row.choice->itemData(i).toString();
                const QString r = why(v);
                items->item(i)->setEnabled(r.isEmpty() || v == current);
                items->item(i)->setToolTip(r);
                enabled += r.isEmpty() ? 1 : 0;
                if (!r.isEmpty())
                    reasons.append({v, r});
            }
            row.choice->setCurrentIndex(std::max(0, row.choice->findData(current)));
            row.choice->setEnabled(enabled > 0 || !current.isEmpty());
        }
        showReasons(row.reason, e.key, reasons);
    }
}

} // namespace strata
