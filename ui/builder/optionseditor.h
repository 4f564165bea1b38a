// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/optionprobe.h"

#include <QHash>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;

namespace strata
{

/// The mount options of one overlay, every one OptionCatalog knows: a choice (or a check box
/// for a flag), one sentence and a link to its section of the kernel's document. A value the
/// running kernel refuses (OptionProbe), or that conflicts with the others (OptionRules), is
/// disabled and the reason says why in a sentence beside it.
class OptionsEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit OptionsEditor(QWidget *parent = nullptr);

    void setSupport(const OptionProbe::Support &support);
    [[nodiscard]] const OptionProbe::Support &support() const { return m_support; }
    /// Shows `options` ("KEY=VALUE" / "KEY") of an overlay, writable or read-only.
    void setOptions(const QStringList &options, bool writable);

    /// Whether `key` can be changed at all, and `key`=`value` chosen ("on" for a flag).
    [[nodiscard]] bool isEnabled(const QString &key) const;
    [[nodiscard]] bool isEnabled(const QString &key, const QString &value) const;
    /// Why each disabled value of `key` is disabled, a sentence a line (what the tooltip of the
    /// line beside it says); empty when nothing of it is.
    [[nodiscard]] QString reason(const QString &key) const;
    /// The link of its row: https://docs.kernel.org/filesystems/overlayfs.html#...
    [[nodiscard]] QString link(const QString &key) const;

Q_SIGNALS:
    /// The user chose `value` for `key` (empty: not given, the kernel's default; "on" for a flag).
    void optionChosen(const QString &key, const QString &value);

private:
    struct Row {
        QComboBox *choice = nullptr; ///< values: "", then the catalog's
        QCheckBox *flag = nullptr;
        QLabel *about = nullptr;
        QLabel *reason = nullptr;
    };
    void refresh();
    static void showReasons(QLabel *label, const QString &key, const QList<std::pair<QString, QString>> &reasons);

    OptionProbe::Support m_support;
    QStringList m_options;
    bool m_writable = true;
    QHash<QString, Row> m_rows;
};

} // namespace strata
