// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/events/patchrules.h"
#include "core/layer/layersource.h"

#include <QByteArray>

#include <memory>

namespace strata
{

/// A layer directory as the merge reads it, cut down to what PatchRules name: so that
/// MergedTree::build, run over every layer of a stack, merges only the few directories an edit
/// touched — by the same rules as the whole scan, in the same layer indexes. Below a Full rule
/// everything is read; a Spine lists its rules' names only (one lstat each, no listing); a
/// Level lists every name; anything else lists nothing (its entry is still read, as a name of
/// the directory above).
class PrunedLayer final : public LayerSource
{
public:
    PrunedLayer(QByteArray root, std::shared_ptr<const PatchRules> rules);

    [[nodiscard]] Result<Loaded> load(ScanControl *control) const override;
    [[nodiscard]] Result<Loaded> loadWithData(ScanControl *control, const FileVisitor &files) const override;

private:
    QByteArray m_root;
    std::shared_ptr<const PatchRules> m_rules;
};

} // namespace strata
