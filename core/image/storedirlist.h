// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/imagestore.h"
#include "core/image/storedir.h"

#include <QSet>
#include <QString>
#include <QVector>

#include <functional>

namespace strata
{

/// What a directory store's searchDirs() builds: each layer directory once, in the order
/// added (image layers, images newest first and each bottom first, then containers', then the
/// rest), with the images using it.
class StoreDirList final
{
public:
    /// `locate(dir)` fills in where the directory `dir.cacheId` is (dir, diffDir, source).
    StoreDirList(const ImageStore &store, std::function<void(StoreDir &)> locate)
        : m_store(store), m_locate(std::move(locate))
    {
    }

    /// The directory `id`, unless it is empty or listed already.
    void add(StoreLayerKind kind, const QString &id, const QString &name, const QString &container = {})
    {
        addDir(kind, id, name, container);
    }
    /// Every layer of every image, with the instruction that made it.
    template<typename Layer>
    void addImageLayers(const QVector<QVector<Layer>> &imageLayers)
    {
        for (const QVector<Layer> &layers : imageLayers) {
            for (const Layer &l : layers) {
                if (StoreDir *d = addDir(StoreLayerKind::Image, l.cacheId, l.name, QString()))
                    d->createdBy = l.createdBy;
            }
        }
    }
    [[nodiscard]] QVector<StoreDir> take() { return std::move(m_dirs); }

private:
    StoreDir *addDir(StoreLayerKind kind, const QString &id, const QString &name, const QString &container)
    {
        if (id.isEmpty() || m_seen.contains(id))
            return nullptr;
        m_seen.insert(id);
        StoreDir d;
        d.kind = kind;
        d.cacheId = id;
        d.name = name;
        d.images = m_store.imagesUsing(id);
        d.container = container;
        m_locate(d);
        m_dirs.push_back(d);
        return &m_dirs.last();
    }

    const ImageStore &m_store;
    std::function<void(StoreDir &)> m_locate;
    QVector<StoreDir> m_dirs;
    QSet<QString> m_seen;
};

} // namespace strata
