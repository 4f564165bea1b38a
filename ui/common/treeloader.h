// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergedtree.h"
#include "ui/common/backgroundjob.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace strata
{

/// Builds a MergedTree in the background (a BackgroundJob). Progress is polled from the
/// ScanControl's counters (no signal per entry); cancel() stops the scan at the next directory.
class TreeLoader final : public QObject
{
    Q_OBJECT
public:
    explicit TreeLoader(QObject *parent = nullptr);

    /// Starts a scan; a running one is cancelled first, and its result dropped.
    void start(const MergeLayers &layers, const MergeOptions &options);
    void cancel() { m_job.cancel(); }
    [[nodiscard]] bool isRunning() const { return m_job.isRunning(); }

Q_SIGNALS:
    void progress(quint64 entries, quint64 directories);
    void finished(std::shared_ptr<const strata::MergedTree> tree);
    void failed(const QString &message);

private:
    using Built = std::shared_ptr<const Result<MergedTree>>;

    BackgroundJob<Built> m_job;
    QTimer m_poll;
};

} // namespace strata
