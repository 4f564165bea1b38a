// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "ui/builder/stackdraft.h"

#include <QUndoCommand>

#include <functional>

namespace strata
{

/// One change in the builder, undoable: the draft before and after it. `apply` puts a draft
/// in place (the builder's model and views).
class DraftCommand final : public QUndoCommand
{
public:
    using Apply = std::function<void(const StackDraft &)>;

    DraftCommand(const QString &text, StackDraft before, StackDraft after, Apply apply)
        : QUndoCommand(text), m_before(std::move(before)), m_after(std::move(after)), m_apply(std::move(apply))
    {
    }

    void redo() override { m_apply(m_after); }
    void undo() override { m_apply(m_before); }

private:
    StackDraft m_before;
    StackDraft m_after;
    Apply m_apply;
};

} // namespace strata
