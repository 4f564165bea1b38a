// SPDX-License-Identifier: GPL-2.0-or-later
#include "chainid.h"

#include <QCryptographicHash>

namespace strata
{

QString ChainId::next(const QString &parent, const QString &diffId)
{
    if (parent.isEmpty())
        return diffId;
    const QByteArray input = parent.toLatin1() + ' ' + diffId.toLatin1();
    return QStringLiteral("sha256:")
        + QString::fromLatin1(QCryptographicHash::hash(input, QCryptographicHash::Sha256).toHex());
}

QStringList ChainId::chain(const QStringList &diffIds)
{
    QStringList out;
    QString parent;
    for (const QString &d : diffIds) {
        parent = next(parent, d);
        out << parent;
    }
    return out;
}

bool ChainId::isDigest(const QString &s)
{
    if (s.size() != 71 || !s.startsWith(QLatin1String("sha256:")))
        return false;
    for (qsizetype i = 7; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

QString ChainId::hex(const QString &digest)
{
    return digest.startsWith(QLatin1String("sha256:")) ? digest.mid(7) : digest;
}

} // namespace strata
