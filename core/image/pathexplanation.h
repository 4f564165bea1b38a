// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/entrytype.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

namespace strata
{

/// Everything about one path of a container's or an image's filesystem: which layers have
/// it, which copy is seen, and what hides what.
struct PathExplanation {
    /// One layer of the stack (top first) and what it does to the path.
    struct Finding {
        int index = 0; ///< position in the stack, 0 is the top
        QString name; ///< "upper (3f2a…)", "init (…)", "layer 2 (…)"
        QString role; ///< upper, init, layer
        QString dir; ///< the layer's directory of files (…/diff)
        QString cacheId;
        int imageLayer = -1; ///< index in the image (bottom first) for image layers
        QString createdBy; ///< the instruction that made the layer, when known
        bool present = false; ///< the layer has an entry at this path (no symlink followed)
        EntryType type = EntryType::Unknown;
        qint64 size = 0;
        quint32 mode = 0;
        QByteArray target; ///< symlink target
        bool opaque = false;
        /// provides, deletes, merged, shadowed, hidden_by_whiteout, hidden_by_opaque,
        /// data_source, not_reached, absent
        QString status;
        QString note; ///< one plain sentence
    };

    QString kind; ///< container or image
    QString id;
    QString name;
    QByteArray path;
    bool visible = false;
    EntryType type = EntryType::Unknown; ///< of the entry seen (Whiteout when deleted)
    int winner = -1; ///< the layer that decides: provides the entry or deletes it
    QString mergedDir; ///< containers: where the running container's files are on the host
    QVector<Finding> layers;
    QStringList summary; ///< sentences for people
    QStringList warnings;
};

} // namespace strata
