// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/fs/dirscanner.h"
#include "core/merge/mergedtree.h"
#include "core/util/status.h"

#include <atomic>
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
        std::shared_ptr<DirScanner> dir; // shared with stat batches still running
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
    /// Merges everything below the root; false when cancelled.
    bool scan(Stack rootStack);
    void finish();
    bool prepareTask(WorkerState &ws, const Task &task, Stack &out);
    static void setStat(MergedNode &n, const struct stat &st);
    /// Lists and merges one directory; recurses, or with `expand` returns its subdirectories.
    bool processDir(WorkerState &ws, NodeId dirId, Stack &stack, int depth, Context *expand);
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
    /// Adds the open directory `dir` to `out`; returns false when lookup must stop below it
    /// (opaque). Its overlay xattrs are returned through `xattrsOut`.
    bool pushDir(WorkerState &ws,
        NodeId child,
        DirScanner dir,
        std::uint16_t layer,
        bool redirected,
        QByteArray relPath,
        Stack &out,
        OverlayXattrs *xattrsOut);
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
    std::atomic_bool m_outOfFiles {false};
    std::vector<std::unique_ptr<WorkerState>> m_states;
    MergedTree m_tree;
    ScanControl *m_control;
    std::vector<DirScanner> m_roots; // by layer index; closed when the root could not be opened
    std::uint16_t m_bottomLayer = 0;
};

} // namespace strata
