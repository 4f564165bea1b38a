// SPDX-License-Identifier: GPL-2.0-or-later
#include "detailspanel.h"

#include "core/util/filename.h"
#include "ui/common/mergedtreemodel.h"

#include <QFile>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata
{

DetailsPanel::DetailsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *title = new QLabel(tr("What the kernel does with it"));
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    m_text = new QTextBrowser;
    m_text->setObjectName(QStringLiteral("details"));
    layout->addWidget(m_text, 1);
}

void DetailsPanel::showEntry(const MergedTreeModel &model, NodeId id, const QString &mergedPath)
{
    QString html
        = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(mergedPath.toHtmlEscaped(), model.explain(id).toHtmlEscaped());
    html += QStringLiteral("<p><b>%1</b><br><code>%2</code></p>")
                .arg(tr("On disk:"), decodeFileName(model.tree()->diskPath(id)).toHtmlEscaped());
    m_text->setHtml(html);
    m_path = mergedPath;
}

void DetailsPanel::showGone()
{
    if (m_path.isEmpty()) {
        m_text->clear();
        return;
    }
    m_text->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p>")
                        .arg(m_path.toHtmlEscaped(),
                            tr("Not in the merged view now: no layer has it, or a whiteout hides it (View → Show "
                               "Deleted Entries shows those).")
                                .toHtmlEscaped()));
}

void DetailsPanel::clear()
{
    m_text->clear();
    m_path.clear();
}

QString DetailsPanel::text() const
{
    return m_text->toPlainText();
}

} // namespace strata
