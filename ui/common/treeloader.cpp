// SPDX-License-Identifier: GPL-2.0-or-later
#include "treeloader.h"

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
    return m_thread && m_thread->isRunning();
}

void TreeLoader::stopWorker()
{
    if (m_control)
        m_control->cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
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
    m_thread = QThread::create([this, layers, options, control, generation] {
        auto result = MergedTree::build(layers, options, control.get());
        // Hand the result to the GUI thread; a newer scan makes this one stale.
        if (result) {
            auto tree = std::make_shared<const MergedTree>(std::move(result.value()));
            QMetaObject::invokeMethod(
                this,
                [this, tree, generation] {
                    if (generation != m_generation)
                        return;
                    m_poll.stop();
                    Q_EMIT finished(tree);
                },
                Qt::QueuedConnection);
        } else {
            const QString message = result.error().message;
            QMetaObject::invokeMethod(
                this,
                [this, message, generation] {
                    if (generation != m_generation)
                        return;
                    m_poll.stop();
                    Q_EMIT failed(message);
                },
                Qt::QueuedConnection);
        }
    });
    m_poll.start();
    m_thread->start();
}

} // namespace strata
