// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/dirscanner.h"
#include "core/merge/mergedtree.h"
#include "core/util/status.h"

#include <memory>
#include <mutex>

#include <vector>

namespace strata
{

/// Builds a MergedTree: one pass over the layer directories, depth first. Each merged
/// directory is read once per layer that holds it; only entries that win (and character
/// devices, to tell whiteouts) are stat'ed. Internal to MergedTree::build().
class MergedTreeBuilder final
{
public:
    MergedTreeBuilder(const MergeLayers &layers, const MergeOptions &options, ScanControl *control);
    [[nodiscard]] Result<MergedTree> run();

private:
    struct StackEntry {
        std::shared_ptr<LayerDir> dir; // shared with stat batches still running
        std::uint16_t layer = 0;
        bool xwhiteouts = false; ///< lower dir with opaque="x": zero-size files may be whiteouts
        bool redirected = false; ///< reached through a redirect: relPath is its real path
        QByteArray relPath;
    };
    using Stack = std::vector<StackEntry>;

    // A redirected directory and the real lower directory it starts from.
    struct RedirectKey {
        NodeId node;
        std::uint16_t layer;
        QByteArray realPath;
    };
    // What one thread records besides nodes; merged into the tree at the end.
    struct WorkerState {
        std::vector<MergedTree::Shadow> shadows;
        std::vector<MergedTree::TextRecord> textRecords;
        StringArena texts;
        std::vector<RedirectKey> redirectKeys;
    };
    struct ChildDir {
        NodeId id;
        std::uint32_t candBegin;
        std::uint32_t candEnd;
    };
    // A directory whose subdirectories are handed out as tasks.
    struct Context {
        NodeId dir = 0;
        int depth = 0;
        Stack stack;
        std::vector<std::uint16_t> candidates;
        std::vector<ChildDir> dirs;
    };

    // One subdirectory of an expanded directory, handed to a worker as a whole subtree.
    struct Task {
        std::shared_ptr<Context> parent;
        std::size_t index;
    };

    Status openLayers(WorkerState &ws, Stack &stack);
    /// Reads the layers that are not directories (tars), all at once.
    Status loadSources();
    [[nodiscard]] Result<std::shared_ptr<LayerDir>> openRoot(qsizetype layer) const;
    /// Merges everything below the root; false when cancelled.
    bool scan(Stack rootStack);
    void finish();
    bool prepareTask(WorkerState &ws, const Task &task, Stack &out);
    static void setStat(MergedNode &n, const struct stat &st);
    // One name in one layer of a directory being merged.
    struct Hit {
        std::string_view name;
        std::uint16_t pos; // position in the directory's layer stack, top first
        unsigned char dtype;
    };
    // What classify() learnt of a hit beyond its type.
    struct HitStat {
        struct stat st {
        };
        bool have = false;
        bool xwhiteout = false;
    };
    // What lookup decided for one name of a merged directory.
    struct Plan {
        std::string_view name;
        EntryType type = EntryType::Unknown;
        std::uint16_t providerPos = 0;
        std::uint16_t flags = 0;
        bool haveStat = false;
        bool dataMissing = false; // a metacopy file with no data below it: EIO in the kernel
        bool dataAbsent = false; // its absolute redirect is in no data-only layer: ENOENT on open
        bool refused = false; // a lower metacopy file the kernel refuses to follow (EPERM)
        int dataLayer = -1; // the data-only layer that holds its data
        QByteArray dataRedirect; // the absolute overlay.redirect into the data-only layers
        struct stat st {
        };
        std::uint32_t candBegin = 0; // directory layers, as positions in the parent stack
        std::uint32_t candEnd = 0;
    };
    struct PendingShadow {
        std::uint32_t ordinal;
        std::uint16_t pos;
        EntryType type;
        MergedTree::ShadowReason reason;
    };
    // The plan of one directory: its names in order, what they hide, their directory layers.
    struct DirPlan {
        std::vector<Plan> plans;
        std::vector<PendingShadow> pending;
        std::vector<std::uint16_t> candidates;
    };

    /// Lists and merges one directory; recurses, or with `expand` returns its subdirectories.
    bool processDir(WorkerState &ws, NodeId dirId, Stack &stack, int depth, Context *expand);
    /// Every layer's listing of the directory, sorted by name, then by layer.
    std::vector<Hit> listLayers(WorkerState &ws, NodeId dirId, Stack &stack);
    /// The type of a hit, stat'ed only where the dirent type cannot tell (whiteouts).
    EntryType classify(const StackEntry &e, const Hit &hit, bool stopped, HitStat &hs) const;
    /// Lookup of one name over the `count` hits of it, top layer first, into `dp`.
    void planName(Stack &stack, const Hit *hits, std::size_t count, DirPlan &dp) const;
    /// A regular file found in a layer of the stack that may be a metacopy file: whether its
    /// data is looked for below (true), in the data-only layers (`plan.dataRedirect`), or the
    /// kernel refuses it (`plan.refused`).
    bool planMetacopy(const StackEntry &e, const Hit &hit, Plan &plan) const;
    /// Where a metacopy file whose data is `plan.dataRedirect` finds it: the first data-only
    /// layer with a regular file there (ovl_lookup_data_layers()).
    void findData(Plan &plan) const;
    [[nodiscard]] bool hasDataLayers() const { return m_firstData < m_tree.m_layers.size(); }
    /// Stores the planned children of `dirId` as one block of nodes; returns the first.
    NodeId storeChildren(WorkerState &ws, NodeId dirId, Stack &stack, std::vector<Plan> &plans);
    void storeChild(WorkerState &ws, NodeId id, NodeId dirId, StackEntry &e, Plan &plan);
    bool prepareChildStack(WorkerState &ws,
        NodeId id,
        NodeId parent,
        Stack &parentStack,
        const std::uint16_t *candidates,
        std::size_t candidateCount,
        Stack &out);
    void buildChildStack(WorkerState &ws,
        NodeId child,
        std::string_view name,
        NodeId parent,
        Stack &parentStack,
        const std::uint16_t *candidates,
        std::size_t candidateCount,
        Stack &out);
    void followRedirect(WorkerState &ws,
        NodeId child,
        NodeId parent,
        Stack &parentStack,
        std::size_t fromPos,
        QByteArray redirect,
        Stack &out);
    /// Adds the open directory of `e` to `out`; returns false when lookup must stop below it
    /// (opaque). Its overlay xattrs are returned through `xattrsOut`.
    bool pushDir(WorkerState &ws, NodeId child, StackEntry e, Stack &out, OverlayXattrs *xattrsOut);
    /// The overlay xattrs of the directory `e` holds (none in the bottom layer: nothing is
    /// below it); notes in `e` whether its zero-size files may be xattr whiteouts.
    OverlayXattrs readDirMarks(StackEntry &e) const;
    [[nodiscard]] std::string_view name(NodeId id) const;

    [[nodiscard]] bool isBottomLayer(std::uint16_t layer) const;
    [[nodiscard]] QByteArray relPathOf(const StackEntry &e, NodeId dirId) const;
    void addShadow(WorkerState &ws, NodeId node, std::uint16_t layer, EntryType type, MergedTree::ShadowReason reason);
    void addText(WorkerState &ws, NodeId node, MergedTree::TextKind kind, std::string_view text);
    void addError(WorkerState &ws, NodeId node, const QString &message);
    void mergeState(WorkerState &ws);
    void checkLowerConflicts(WorkerState &ws, const std::vector<RedirectKey> &keys);
    [[nodiscard]] static bool validRedirect(const QByteArray &redirect);

    std::mutex m_allocMutex;
    std::vector<std::unique_ptr<WorkerState>> m_states;
    MergedTree m_tree;
    ScanControl *m_control;
    std::vector<std::shared_ptr<LayerDir>> m_loaded; // roots of layers read from a LayerSource
    std::vector<std::shared_ptr<LayerDir>> m_roots; // by layer index; null when the root could not be opened
    std::uint16_t m_bottomLayer = 0; // the last regular layer
    qsizetype m_firstData = 0; // the first data-only layer; the layer count when there is none
};

} // namespace strata
