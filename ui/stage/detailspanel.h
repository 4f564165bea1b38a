// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergednode.h"

#include <QWidget>

class QTextBrowser;

namespace strata
{

class MergedTreeModel;

/// Beside the views: what the kernel does with the selected entry, in a sentence, and where its
/// content is on disk.
class DetailsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit DetailsPanel(QWidget *parent = nullptr);

    void showEntry(const MergedTreeModel &model, NodeId id, const QString &mergedPath);
    /// The entry shown last is not in the merged view now (deleted, or another view): says
    /// so, rather than what it was.
    void showGone();
    void clear();
    [[nodiscard]] QString text() const;

private:
    QTextBrowser *m_text = nullptr;
    QString m_path; // of the entry shown
};

} // namespace strata
