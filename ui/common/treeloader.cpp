// SPDX-License-Identifier: GPL-2.0-or-later
#include "treeloader.h"

namespace strata
{

TreeLoader::TreeLoader(QObject *parent) : QObject(parent)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (const ScanControl *c = m_job.control())
            Q_EMIT progress(c->entries(), c->directories());
    });
}

void TreeLoader::start(const MergeLayers &layers, const MergeOptions &options)
{
    m_job.start(
        this,
        [layers, options](ScanControl &control) -> Built {
            return std::make_shared<const Result<MergedTree>>(MergedTree::build(layers, options, &control));
        },
        [this](const Built &built) {
            m_poll.stop();
            if (!built->ok()) {
                Q_EMIT failed(built->error().message);
                return;
            }
            // The tree is shared from here on, never copied: the result object keeps it alive.
            Q_EMIT finished(std::shared_ptr<const MergedTree>(built, &built->value()));
        });
    m_poll.start();
}

} // namespace strata
