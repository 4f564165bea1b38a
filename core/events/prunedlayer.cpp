// SPDX-License-Identifier: GPL-2.0-or-later
#include "prunedlayer.h"

#include "core/fs/dirscanner.h"

#include <dirent.h>

namespace strata
{

namespace
{
using Mode = PatchRules::Mode;

// One directory of the layer, read as far as the rules say (see PrunedLayer).
class PrunedDir final : public LayerDir
{
public:
    enum class Kind : unsigned char { Everything, Nothing, Ruled };

    PrunedDir(std::shared_ptr<LayerDir> inner,
        Kind kind,
        const PatchRules::Rule *rule,
        std::shared_ptr<const PatchRules> rules)
        : m_inner(std::move(inner)), m_kind(kind), m_rule(rule), m_rules(std::move(rules))
    {
    }

    bool readAll() override
    {
        m_own.clear();
        if (listsAll())
            return m_inner->readAll();
        if (m_kind == Kind::Ruled && m_rule->mode == Mode::Spine) {
            for (const PatchRules::Rule &c : m_rule->children) {
                const std::string_view name(c.name.constData(), static_cast<size_t>(c.name.size()));
                struct stat st {
                };
                if (m_inner->statEntry(name, &st))
                    m_own.push_back({name, dtypeOf(st.st_mode)});
            }
        }
        return true;
    }
    [[nodiscard]] const std::vector<Entry> &entries() const override { return listsAll() ? m_inner->entries() : m_own; }
    [[nodiscard]] int readError() const override { return listsAll() ? m_inner->readError() : 0; }
    void releaseEntries() override
    {
        if (listsAll())
            m_inner->releaseEntries();
        m_own.clear();
        m_own.shrink_to_fit();
    }
    [[nodiscard]] bool statSelf(struct stat *st) const override { return m_inner->statSelf(st); }
    [[nodiscard]] bool statEntry(std::string_view name, struct stat *st) const override
    {
        return m_inner->statEntry(name, st);
    }
    [[nodiscard]] QByteArray readLink(std::string_view name) const override { return m_inner->readLink(name); }
    [[nodiscard]] OverlayXattrs entryXattrs(std::string_view name, XattrNamespace ns) const override
    {
        return m_inner->entryXattrs(name, ns);
    }
    [[nodiscard]] OverlayXattrs dirXattrs(XattrNamespace ns) const override { return m_inner->dirXattrs(ns); }
    [[nodiscard]] Result<std::shared_ptr<LayerDir>> openDir(std::string_view name) const override
    {
        auto opened = m_inner->openDir(name);
        if (!opened)
            return opened.error();
        Kind kind = m_kind == Kind::Everything ? Kind::Everything : Kind::Nothing;
        const PatchRules::Rule *rule = m_kind == Kind::Ruled ? m_rule->child(name) : nullptr;
        if (rule)
            kind = rule->mode == Mode::Full ? Kind::Everything : Kind::Ruled;
        return std::shared_ptr<LayerDir>(std::make_shared<PrunedDir>(std::move(opened.value()), kind, rule, m_rules));
    }

private:
    [[nodiscard]] bool listsAll() const
    {
        return m_kind == Kind::Everything || (m_kind == Kind::Ruled && m_rule->mode >= Mode::Level);
    }
    static unsigned char dtypeOf(mode_t mode)
    {
        switch (mode & S_IFMT) {
        case S_IFDIR:
            return DT_DIR;
        case S_IFREG:
            return DT_REG;
        case S_IFLNK:
            return DT_LNK;
        case S_IFCHR:
            return DT_CHR;
        case S_IFBLK:
            return DT_BLK;
        case S_IFIFO:
            return DT_FIFO;
        case S_IFSOCK:
            return DT_SOCK;
        }
        return DT_UNKNOWN;
    }

    std::shared_ptr<LayerDir> m_inner;
    Kind m_kind;
    const PatchRules::Rule *m_rule;
    std::shared_ptr<const PatchRules> m_rules; // keeps m_rule alive
    std::vector<Entry> m_own;
};
} // namespace

PrunedLayer::PrunedLayer(QByteArray root, std::shared_ptr<const PatchRules> rules)
    : m_root(std::move(root)), m_rules(std::move(rules))
{
}

Result<LayerSource::Loaded> PrunedLayer::load(ScanControl *control) const
{
    Q_UNUSED(control)
    auto opened = DirScanner::openRoot(m_root);
    if (!opened)
        return opened.error();
    const PatchRules::Rule &root = m_rules->root();
    const auto kind = root.mode == Mode::Full ? PrunedDir::Kind::Everything : PrunedDir::Kind::Ruled;
    Loaded loaded;
    loaded.root
        = std::make_shared<PrunedDir>(std::make_shared<DirScanner>(std::move(opened.value())), kind, &root, m_rules);
    return loaded;
}

Result<LayerSource::Loaded> PrunedLayer::loadWithData(ScanControl *control, const FileVisitor &files) const
{
    Q_UNUSED(files)
    return load(control);
}

} // namespace strata
