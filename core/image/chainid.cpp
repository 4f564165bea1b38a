// SPDX-License-Identifier: GPL-2.0-or-later
#include "chainid.h"

#include "core/image/storefiles.h"

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
    return s.size() == 71 && s.startsWith(QLatin1String("sha256:")) && StoreFiles::isHex(s.mid(7));
}

QString ChainId::hex(const QString &digest)
{
    return digest.startsWith(QLatin1String("sha256:")) ? digest.mid(7) : digest;
}

} // namespace strata
