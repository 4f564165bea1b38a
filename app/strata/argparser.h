// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace strata
{

/// A small option scanner for subcommands: flags, "--name VALUE" / "--name=VALUE", and
/// positionals in order. "--" ends options; everything after it is kept in rest().
class ArgParser final
{
public:
    ArgParser(QStringList flags, QStringList valueOptions);

    /// Returns false on an unknown option or a missing value; see error().
    bool parse(const QStringList &args);

    [[nodiscard]] const QStringList &positionals() const { return m_positionals; }
    [[nodiscard]] const QStringList &rest() const { return m_rest; }
    [[nodiscard]] bool isSet(const QString &name) const { return m_flagsSet.contains(name) || m_values.contains(name); }
    [[nodiscard]] QString value(const QString &name, const QString &fallback = {}) const
    {
        return m_values.value(name, fallback);
    }
    /// Every value of an option given more than once, in order (value() is the last).
    [[nodiscard]] QStringList values(const QString &name) const { return m_all.value(name); }
    [[nodiscard]] const QString &error() const { return m_error; }
    /// Stop at the first positional that is not an option value: the rest are positionals
    /// even when they look like options (for `strata op WS VERB ARGS...`).
    void setStopAtPositional(int count) { m_stopAfter = count; }

private:
    QStringList m_flags;
    QStringList m_valueOptions;
    QStringList m_positionals;
    QStringList m_rest;
    QStringList m_flagsSet;
    QHash<QString, QString> m_values;
    QHash<QString, QStringList> m_all;
    QString m_error;
    int m_stopAfter = -1;
};

} // namespace strata
