// SPDX-License-Identifier: GPL-2.0-or-later
#include "treeloader.h"

#include "core/util/background.h"

namespace strata
{

TreeLoader::TreeLoader(QObject *parent) : QObject(parent)
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        if (m_control)
            Q_EMIT progress(m_control->entries(), m_control->directories());
    });
}

TreeLoader::~TreeLoader()
{
    stopWorker();
}

bool TreeLoader::isRunning() const
{
    return m_future.isValid() && m_future.isRunning();
}

void TreeLoader::stopWorker()
{
    if (m_control)
        m_control->cancel();
    m_future.waitForFinished();
    m_poll.stop();
}

void TreeLoader::cancel()
{
    if (m_control)
        m_control->cancel();
}

void TreeLoader::start(const MergeLayers &layers, const MergeOptions &options)
{
    stopWorker();
    auto control = std::make_shared<ScanControl>();
    m_control = control;
    const quint64 generation = ++m_generation;
    m_future = runInBackground([layers, options, control]() -> Built {
        return std::make_shared<const Result<MergedTree>>(MergedTree::build(layers, options, control.get()));
    });
    continueOn(m_future, this, [this, generation](const Built &built) {
        if (generation != m_generation)
            return; // a newer scan makes this one stale
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
