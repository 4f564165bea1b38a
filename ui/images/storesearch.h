// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/image/imagestore.h"
#include "core/image/searchhit.h"
#include "core/image/storeproblem.h"
#include "ui/common/backgroundjob.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <memory>

namespace strata
{

class SearchHitsModel;

/// One find or grep at a time over the layers of a store (LayerSearch), off the GUI thread
/// (a BackgroundJob): hits go into a SearchHitsModel as they are found (drained every 100 ms,
/// with the files and directories counted so far), finished() tells how it ended. The one
/// who starts a search can cancel it; destroying this object cancels and waits.
class StoreSearch final : public QObject
{
    Q_OBJECT
public:
    /// How a search ended.
    struct Outcome {
        bool completed = false; ///< searched everything (false when cancelled or failed)
        bool cancelled = false;
        QString error; ///< why it stopped, when it failed
        int hits = 0; ///< found, listed or not
        std::uint64_t files = 0;
        std::uint64_t directories = 0;
        StoreProblems problems; ///< what could not be read
    };

    explicit StoreSearch(SearchHitsModel *hits, QObject *parent = nullptr);
    ~StoreSearch() override;

    /// Starts a find (a glob) or a grep (a text); a search still running is cancelled and
    /// waited for first, and never reports.
    void start(std::shared_ptr<const ImageStore> store, bool grep, const QString &what);
    void cancel();
    /// Cancels and waits for the worker; finished() still comes, from the event loop.
    void stop();
    [[nodiscard]] bool isRunning() const { return m_job.isRunning(); }
    [[nodiscard]] int hitCount() const;
    [[nodiscard]] std::uint64_t files() const;
    [[nodiscard]] std::uint64_t directories() const;

Q_SIGNALS:
    /// New hits are in the model, or the counters moved.
    void progress();
    void finished(const strata::StoreSearch::Outcome &outcome);

private:
    struct Run;

    void drain();
    void finish(const Outcome &outcome);

    SearchHitsModel *m_hits;
    std::shared_ptr<Run> m_run;
    QTimer m_poll;
    BackgroundJob<Outcome> m_job;
};

} // namespace strata
