// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/stacklayer.h"
#include "core/image/storecontainer.h"
#include "core/image/storedir.h"
#include "core/image/storeimage.h"
#include "core/image/storelayer.h"
#include "core/image/storeproblem.h"
#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <cerrno>

namespace strata
{

/// One place where image layers live, read without its daemon and never written: a Docker
/// root (DockerHost), and next containerd's and Podman's stores and image archives. It answers
/// the same questions for each: its images (history, diff IDs) and their layers, its
/// containers (upper, init, lowers), the stack of either, which images share a layer, and
/// which directories hold layer files. Merged views, `diff`, `find`/`grep` and `explain` are
/// operations over these answers (ContainerDiff, LayerSearch, PathExplainer), the same code
/// for every store; the GUI's models read the same records.
///
/// Records are addressed by index (images and containers newest first) and stay valid, like
/// the store, until it is destroyed. A store is immutable once opened: share it across threads
/// as a std::shared_ptr<const ImageStore>.
///
/// A new store derives from this class, reads everything when it is opened (its own records
/// may derive from StoreImage, StoreLayer and StoreContainer to keep what only it knows, as
/// DockerImage does) and answers the pure virtual functions; diff, find/grep, explain and the
/// GUI's models then work on it unchanged. Stores without an init layer (containerd, Podman)
/// leave StoreContainer::initDir empty; a store whose overlays use other xattrs (rootless:
/// user.overlay.*) says so in mergeOptions(). Layers kept as tar blobs (image archives) have
/// no diffDir but a LayerSource, which the merge reads as it reads a directory.
class ImageStore
{
public:
    virtual ~ImageStore() = default;

    /// What kind of store this is, for people: "Docker", "containerd", "Podman".
    [[nodiscard]] virtual QString kindName() const = 0;
    /// The directory (or file) it was read from.
    [[nodiscard]] virtual const QString &root() const = 0;
    /// Everything that could not be read or failed a check, in the order found.
    [[nodiscard]] virtual const StoreProblems &problems() const = 0;
    /// How this store's overlays look things up (xattr namespace, redirects, metacopy): every
    /// merged view of its images and containers is built with these.
    [[nodiscard]] virtual MergeOptions mergeOptions() const = 0;

    /// Images, newest first.
    [[nodiscard]] virtual qsizetype imageCount() const = 0;
    [[nodiscard]] virtual const StoreImage &imageAt(qsizetype i) const = 0;
    [[nodiscard]] virtual const StoreImage *imageById(const QString &id) const = 0;
    /// An image by a reference as the store's own CLI takes it (name:tag, name@digest, ID,
    /// unique ID prefix).
    [[nodiscard]] virtual Result<qsizetype> imageIndex(const QString &ref) const = 0;
    /// The layers of image `image`, bottom first.
    [[nodiscard]] virtual qsizetype imageLayerCount(qsizetype image) const = 0;
    [[nodiscard]] virtual const StoreLayer &imageLayerAt(qsizetype image, qsizetype layer) const = 0;

    /// Containers, newest first.
    [[nodiscard]] virtual qsizetype containerCount() const = 0;
    [[nodiscard]] virtual const StoreContainer &containerAt(qsizetype i) const = 0;
    /// A container by full ID, name, or a unique ID prefix.
    [[nodiscard]] virtual Result<qsizetype> containerIndex(const QString &ref) const = 0;

    /// An image's layers, top first, as a merged view stacks them. Fails when a layer has no
    /// directory.
    [[nodiscard]] virtual Result<Stack> imageStack(qsizetype image) const = 0;
    /// A container's stack, top first, as its overlay is mounted: its read-write layer (unless
    /// `withUpper` is false), its init layer (where the store has one), the image's layers.
    [[nodiscard]] virtual Result<Stack> containerStack(qsizetype container, bool withUpper) const = 0;

    /// How many layers the store records (each once, however many images use it).
    [[nodiscard]] virtual qsizetype storedLayerCount() const = 0;
    /// The IDs of the images whose layers include the directory `cacheId`, each once,
    /// intermediate images left out. Two images share a layer when this has two IDs.
    [[nodiscard]] virtual QStringList imageIdsUsing(const QString &cacheId) const = 0;
    /// Every directory of layer files, each once, in the order `find` and `grep` walk them.
    [[nodiscard]] virtual QVector<StoreDir> searchDirs() const = 0;

    // The same for every store.

    /// "Shared by": the names of the images using `cacheId` (StoreImage::names), each once, in
    /// the order of imageIdsUsing. What the GUI shows and `find`/`grep` write as `images`.
    [[nodiscard]] QStringList imagesUsing(const QString &cacheId) const;
    /// How many layers of an image another image uses too.
    [[nodiscard]] int sharedLayerCount(qsizetype image) const;
    /// How many images are intermediate (build steps).
    [[nodiscard]] int intermediateCount() const;
    /// The index of a record of this store, -1 for one that is not.
    [[nodiscard]] qsizetype indexOf(const StoreImage &image) const;
    [[nodiscard]] qsizetype indexOf(const StoreContainer &container) const;

    [[nodiscard]] static MergeLayers toMergeLayers(const Stack &stack);
    [[nodiscard]] Result<MergeLayers> imageMergeLayers(qsizetype image) const;
    [[nodiscard]] Result<MergeLayers> containerMergeLayers(qsizetype container, bool withUpper = true) const;
    /// One layer of an image alone (its whiteouts and opaque directories show as they are).
    [[nodiscard]] Result<MergeLayers> layerMergeLayers(qsizetype image, qsizetype layer) const;

protected:
    /// An image's stack as a backend built it: refused when it has no layer at all.
    [[nodiscard]] static Result<Stack> nonEmpty(Stack stack, const StoreImage &image);
    /// An image's stack from its layers (bottom first) as every directory store builds it: top
    /// first, `make(layer)` the StackLayer of the layer's directory; a layer without one is an
    /// error naming it and what it lacks (`missing`: "directory", "snapshot").
    template<typename Layer, typename Make>
    [[nodiscard]] static Result<Stack> layerStack(
        const QVector<Layer> &layers, const StoreImage &image, const QString &missing, Make make)
    {
        Stack stack;
        for (auto it = layers.crbegin(); it != layers.crend(); ++it) {
            if (it->cacheId.isEmpty())
                return Error {ENOENT,
                    QStringLiteral("image %1: layer %2 (%3) has no %4: %5")
                        .arg(image.displayName())
                        .arg(it->index)
                        .arg(it->chainId, missing, it->problems.join(QStringLiteral("; ")))};
            StackLayer s = make(*it);
            s.imageLayer = it->index;
            s.createdBy = it->createdBy;
            stack.push_back(s);
        }
        return nonEmpty(std::move(stack), image);
    }

    ImageStore() = default;
    ImageStore(const ImageStore &) = default;
    ImageStore(ImageStore &&) = default;
    ImageStore &operator=(const ImageStore &) = default;
    ImageStore &operator=(ImageStore &&) = default;
};

} // namespace strata
