// SPDX-License-Identifier: GPL-2.0-or-later
#include "argparser.h"

namespace strata
{

ArgParser::ArgParser(QStringList flags, QStringList valueOptions)
    : m_flags(std::move(flags)), m_valueOptions(std::move(valueOptions))
{
}

bool ArgParser::parse(const QStringList &args)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == QLatin1String("--")) {
            m_rest = args.mid(i + 1);
            return true;
        }
        if (m_stopAfter >= 0 && m_positionals.size() >= m_stopAfter) {
            // Everything from here is positional, except options we know (e.g. a trailing --json).
            const QString name = a.startsWith(QLatin1String("--")) ? a.mid(2) : QString();
            if (!m_flags.contains(name)) {
                m_positionals << a;
                continue;
            }
        }
        if (!a.startsWith(QLatin1String("--")) || a.size() == 2) {
            m_positionals << a;
            continue;
        }
        QString name = a.mid(2);
        QString value;
        const qsizetype eq = name.indexOf(QLatin1Char('='));
        const bool hasInline = eq >= 0;
        if (hasInline) {
            value = name.mid(eq + 1);
            name = name.left(eq);
        }
        if (m_flags.contains(name) && !hasInline) {
            m_flagsSet << name;
        } else if (m_valueOptions.contains(name)) {
            if (!hasInline) {
                if (i + 1 >= args.size()) {
                    m_error = QStringLiteral("option --%1 needs a value").arg(name);
                    return false;
                }
                value = args.at(++i);
            }
            m_values.insert(name, value);
            m_all[name] << value;
        } else {
            m_error = QStringLiteral("unknown option --%1").arg(name);
            return false;
        }
    }
    return true;
}

} // namespace strata
