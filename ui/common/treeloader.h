// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"
#include "core/util/scancontrol.h"

#include <QFuture>
#include <QObject>
#include <QTimer>

#include <memory>

namespace strata
{

/// Builds a MergedTree in the background (runInBackground). Progress is polled from the
/// ScanControl's counters (no signal per entry); cancel() stops the scan at the next directory.
class TreeLoader final : public QObject
{
    Q_OBJECT
public:
    explicit TreeLoader(QObject *parent = nullptr);
    /// Cancels the scan and waits for it.
    ~TreeLoader() override;

    /// Starts a scan; a running one is cancelled first, and its result dropped.
    void start(const MergeLayers &layers, const MergeOptions &options);
    void cancel();
    [[nodiscard]] bool isRunning() const;

Q_SIGNALS:
    void progress(quint64 entries, quint64 directories);
    void finished(std::shared_ptr<const strata::MergedTree> tree);
    void failed(const QString &message);

private:
    using Built = std::shared_ptr<const Result<MergedTree>>;

    void stopWorker();

    QFuture<Built> m_future;
    std::shared_ptr<ScanControl> m_control;
    QTimer m_poll;
    quint64 m_generation = 0;
};

} // namespace strata
