// SPDX-License-Identifier: GPL-2.0-or-later
// The animations over the layer columns tell each edit in order: the cause before its result,
// every phase to its end at every speed, badges beside the names, never on them.
#include "core/events/mergedoperation.h"
#include "core/session/backendpolicy.h"
#include "core/session/mountcontroller.h"
#include "core/session/stacksession.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/mainwindow.h"
#include "ui/stage/eventanimator.h"
#include "ui/stage/layercolumns.h"

#include "tests/support/datatable.h"
#include "tests/support/privatemountns.h"

#include <QAbstractAnimation>
#include <QLabel>
#include <QStyle>
#include <QTabWidget>
#include <QTreeView>
#include <QtTest>

using namespace strata;

namespace
{
// Animation time that moves only when told: each phase can be looked at, at any speed,
// without waiting for it.
class ManualClock final : public QAnimationDriver
{
public:
    void step(int ms)
    {
        QCoreApplication::processEvents(); // animations started are registered from the event loop
        m_total += ms;
        m_sinceStart += ms;
        advance();
    }
    /// Since the driver started (what the animation timer asks for).
    [[nodiscard]] qint64 elapsed() const override { return m_sinceStart; }
    /// Every step taken.
    [[nodiscard]] qint64 total() const { return m_total; }
    void start() override
    {
        m_sinceStart = 0;
        QAnimationDriver::start();
    }

private:
    qint64 m_sinceStart = 0;
    qint64 m_total = 0;
};

// The blog scenario in a window, on the columns, with nothing animated by itself.
struct Scene {
    QTemporaryDir dir;
    MainWindow w;
    bool open()
    {
        w.resize(1280, 720);
        w.show();
        w.setAnimationSpeed(0);
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QSignalSpy columns(w.layerColumns(), &LayerColumns::ready);
        if (!w.openScenario(QStringLiteral("blog"), dir.filePath(QStringLiteral("blog"))) || !ready.wait(10000))
            return false;
        w.findChild<QTabWidget *>(QStringLiteral("centerTabs"))->setCurrentWidget(w.layerColumns());
        return columns.count() > 0 || columns.wait(10000);
    }
    // The edit made by a session of `backend` outside the window, its events recorded; then
    // the window rescans, as after its own edits.
    QList<OverlayEvent> edit(Backend backend, const QString &line)
    {
        auto opened = BackendPolicy().openSession(*w.workspace(), 0, backend);
        if (!opened)
            return {};
        const auto op = MergedOperation::parseLine(line);
        w.mounts()->beginOwnEdit(); // not an outside edit for the window's watcher
        const auto outcome = opened->session->apply(*op);
        if (!outcome || outcome->error != 0)
            return {};
        w.mounts()->endOwnEdit(outcome->events);
        opened->session.reset(); // a kernel session unmounts
        QSignalSpy ready(w.layerColumns(), &LayerColumns::ready);
        if (!w.openWorkspace(w.workspace()->filePath()) || !ready.wait(10000))
            return {};
        return outcome->events;
    }
};

int columnOf(LayerColumns *columns, const QString &role)
{
    for (int c = 0; c < columns->columnCount(); ++c) {
        if (roleName(columns->role(c)) == role)
            return c;
    }
    return -1;
}

// Every name shown in every column, as the view draws it: the cell's left, an icon, the text.
QList<QRect> nameTextRects(LayerColumns *columns)
{
    QList<QRect> out;
    for (int c = 0; c < columns->columnCount(); ++c) {
        QTreeView *view = columns->view(c);
        const int icon = view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view);
        std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
            for (int r = 0; r < view->model()->rowCount(parent); ++r) {
                const QModelIndex idx = view->model()->index(r, 0, parent);
                QRect cell = view->visualRect(idx);
                if (cell.isValid() && view->viewport()->rect().intersects(cell)) {
                    cell.setWidth(std::min(
                        cell.width(), icon + 8 + view->fontMetrics().horizontalAdvance(idx.data().toString())));
                    cell = cell.intersected(view->viewport()->rect());
                    out << QRect(view->viewport()->mapTo(columns, cell.topLeft()), cell.size());
                }
                if (view->isExpanded(idx))
                    walk(idx);
            }
        };
        walk({});
    }
    return out;
}
} // namespace

class TestEventAnimator : public strata::test::MountTest
{
    Q_OBJECT

    // Plays the events as the stage does (each one's path selected first), the clock moved
    // by `stepMs` until everything is over; `look` sees every moment and every phase signal.
    static bool play(Scene &s,
        ManualClock &clock,
        const QList<OverlayEvent> &events,
        int stepMs,
        const std::function<void(const QString &moment)> &look)
    {
        EventAnimator *animator = s.w.layerColumns()->animator();
        const auto signal = [animator, &look](const char *what, int phase) {
            look(QStringLiteral("%1 %2:%3")
                     .arg(QLatin1String(what),
                         OverlayEvent::kindName(animator->current()->event.kind),
                         animator->current()->phases.at(phase).name));
        };
        const QMetaObject::Connection started = QObject::connect(
            animator, &EventAnimator::phaseStarted, animator, [&](int phase) { signal("started", phase); });
        const QMetaObject::Connection done = QObject::connect(
            animator, &EventAnimator::phaseFinished, animator, [&](int phase) { signal("finished", phase); });
        // The stage starts the next caption when the one before is over: here, when its animation is.
        qsizetype next = 0;
        const auto feed = [&] {
            if (next < events.size() && !animator->isRunning()) {
                s.w.selectPath(events.at(next).path);
                animator->animate(events.at(next++));
            }
        };
        feed();
        int steps = 0;
        while ((animator->isRunning() || next < events.size()) && ++steps < 20000) {
            clock.step(stepMs);
            look(QString());
            feed();
        }
        QObject::disconnect(started);
        QObject::disconnect(done);
        return steps < 20000;
    }

private Q_SLOTS:
    void initTestCase() { m_clock.install(); }
    void cleanupTestCase() { m_clock.uninstall(); }

    void storyInOrder_data()
    {
        strata::test::addColumns<Backend, QString, QStringList>("backend", "edit", "checks");
        // At a phase signal, after "|": "role=words" its status says them, "role!=words" not, "staged" a
        // staged row is in work, "!staged" none is.
        const QStringList copyUpEngine {
            QStringLiteral("started work_temp:source|upper!=provides"),
            QStringLiteral("started work_temp:source|merged=from lower_layer"),
            QStringLiteral("started work_temp:source|lower=✔ provides it"),
            QStringLiteral("finished work_temp:source|!staged"),
            QStringLiteral("started work_temp:staged|staged"),
            QStringLiteral("finished work_temp:to work|upper!=provides"),
            QStringLiteral("finished work_temp:staged|work=staged here"),
            QStringLiteral("finished work_temp:fade|staged"),
            QStringLiteral("finished work_temp:fade|upper!=provides"),
            QStringLiteral("started copy_up:to upper|upper!=provides"),
            QStringLiteral("started copy_up:to upper|merged=from lower_layer"),
            QStringLiteral("finished copy_up:to upper|!staged"),
            QStringLiteral("finished copy_up:to upper|upper=✔ provides it"),
            QStringLiteral("finished copy_up:to upper|merged=from upper_layer"),
            QStringLiteral("finished copy_up:to upper|lower=shadowed by upper_layer"),
        };
        QTest::newRow("copy-up, engine") << Backend::Engine
                                         << QStringLiteral("append /base_image/second_instruction.txt x")
                                         << copyUpEngine;
        QTest::newRow("copy-up, kernel") << Backend::Kernel
                                         << QStringLiteral("append /base_image/second_instruction.txt x")
                                         << QStringList {
                                                QStringLiteral("started copy_up:source|upper!=provides"),
                                                QStringLiteral("finished copy_up:source|!staged"),
                                                QStringLiteral("started copy_up:staged|staged"),
                                                QStringLiteral("finished copy_up:to work|upper!=provides"),
                                                QStringLiteral("finished copy_up:to work|merged=from lower_layer"),
                                                QStringLiteral("finished copy_up:to work|work=not observed"),
                                                QStringLiteral("started copy_up:to upper|upper!=provides"),
                                                QStringLiteral("finished copy_up:to upper|!staged"),
                                                QStringLiteral("finished copy_up:to upper|upper=✔ provides it"),
                                                QStringLiteral("finished copy_up:to upper|merged=from upper_layer"),
                                            };
        // second_instruction.txt is in lower_layer only.
        const QStringList whiteout {
            QStringLiteral("started whiteout:tombstone|upper=— not in this layer"),
            QStringLiteral("started whiteout:tombstone|merged=✔ second_instruction.txt from lower_layer"),
            QStringLiteral("finished whiteout:tombstone|upper=† its whiteout hides"),
            QStringLiteral("finished whiteout:tombstone|lower=✔ provides it"),
            QStringLiteral("finished whiteout:hidden|lower=hidden by the whiteout"),
            QStringLiteral("finished whiteout:hidden|merged=✔ second_instruction.txt from lower_layer"),
            QStringLiteral("finished whiteout:gone|merged=✖ deleted"),
        };
        QTest::newRow("whiteout, engine")
            << Backend::Engine << QStringLiteral("rm /base_image/second_instruction.txt") << whiteout;
        QTest::newRow("whiteout, kernel")
            << Backend::Kernel << QStringLiteral("rm /base_image/second_instruction.txt") << whiteout;
    }

    // The copy reaches work, and its row is there, before upper says it provides the file;
    // the merged view takes it from upper only then. The tombstone first, then the lower
    // rows, then the merged one.
    void storyInOrder()
    {
        QFETCH(Backend, backend);
        QFETCH(QString, edit);
        QFETCH(QStringList, checks);
        if (backend == Backend::Kernel)
            STRATA_REQUIRE_MOUNT();
        Scene s;
        QVERIFY(s.open());
        const QList<OverlayEvent> events = s.edit(backend, edit);
        QVERIFY(!events.isEmpty());
        LayerColumns *columns = s.w.layerColumns();
        EventAnimator *animator = columns->animator();
        animator->setSpeed(1.0);
        QHash<QString, QString> seen; // "finished copy_up:to work" -> what was true then
        bool stagedSeen = false;
        QStringList phases;
        QVERIFY(play(s, m_clock, events, 16, [&](const QString &moment) {
            const auto staged = animator->stagedRow();
            if (staged) {
                stagedSeen = true;
                // A row of the work column, inside it.
                QCOMPARE(columns->role(staged->column), LayerRole::Work);
                QVERIFY(columns->bodyRect(staged->column).contains(staged->rect));
            }
            const QString upper = columns->status(columnOf(columns, QStringLiteral("upper")));
            // Never the result before the cause: upper provides the copy only once it was in work.
            if (upper.contains(QStringLiteral("provides")) && edit.startsWith(QLatin1String("append")))
                QVERIFY2(stagedSeen, qPrintable(moment));
            if (moment.isEmpty())
                return;
            phases << moment;
            QString facts = staged ? QStringLiteral("staged") : QStringLiteral("!staged");
            for (const char *role : {"lower", "upper", "work", "merged"})
                facts += QStringLiteral("\n%1=%2").arg(
                    QLatin1String(role), columns->status(columnOf(columns, QLatin1String(role))));
            seen.insert(moment, facts);
        }));
        QVERIFY(!animator->isRunning());
        for (const QString &check : checks) {
            // "finished copy_up:to work|upper!=provides": the moment, then the claim.
            const QString at = check.section(QLatin1Char('|'), 0, 0);
            const QString claim = check.section(QLatin1Char('|'), 1);
            QVERIFY2(seen.contains(at), qPrintable(at + QStringLiteral(" never happened: ") + phases.join(u',')));
            const QString facts = seen.value(at);
            const QString what = QStringLiteral("%1: %2\n%3").arg(at, claim, facts);
            if (claim == QLatin1String("staged") || claim == QLatin1String("!staged")) {
                QVERIFY2(facts.startsWith(claim + QLatin1Char('\n')), qPrintable(what));
                continue;
            }
            const bool negated = claim.contains(QLatin1String("!="));
            const QString sep = negated ? QStringLiteral("!=") : QStringLiteral("=");
            const QString role = claim.section(sep, 0, 0);
            const QString words = claim.section(sep, 1);
            QString status;
            for (const QString &line : facts.split(QLatin1Char('\n'))) {
                if (line.startsWith(role + QLatin1Char('=')))
                    status = line.mid(role.size() + 1);
            }
            QVERIFY2(status.contains(words) != negated, qPrintable(what));
        }
        // Afterwards every status line tells the result, and nothing is left on the columns.
        QVERIFY(columns->status(columnOf(columns, QStringLiteral("merged")))
                    .contains(edit.startsWith(QLatin1String("rm")) ? QStringLiteral("deleted")
                                                                   : QStringLiteral("from upper_layer")));
        QVERIFY(!animator->stagedRow());
        QVERIFY(animator->badgeRects().isEmpty());
    }

    void badgesBesideNames_data()
    {
        strata::test::addColumns<QString>("edit");
        QTest::newRow("copy-up") << QStringLiteral("append /base_image/second_instruction.txt x");
        QTest::newRow("whiteout") << QStringLiteral("rm /base_image/common.txt");
        QTest::newRow("created") << QStringLiteral("touch /base_image/new.txt");
        QTest::newRow("modified") << QStringLiteral("append /base_image/common.txt more");
    }

    // At every moment, no badge covers a name in any column; when the step ends they are gone.
    void badgesBesideNames()
    {
        QFETCH(QString, edit);
        Scene s;
        QVERIFY(s.open());
        const QList<OverlayEvent> events = s.edit(Backend::Engine, edit);
        QVERIFY(!events.isEmpty());
        LayerColumns *columns = s.w.layerColumns();
        EventAnimator *animator = columns->animator();
        animator->setSpeed(1.0);
        int badges = 0;
        QVERIFY(play(s, m_clock, events, 40, [&](const QString &) {
            const QList<QRect> names = nameTextRects(columns);
            for (const QRect &badge : animator->badgeRects()) {
                ++badges;
                for (const QRect &name : names)
                    QVERIFY2(!badge.intersects(name),
                        qPrintable(QStringLiteral("badge %1,%2 %3x%4 on a name at %5,%6 %7x%8")
                                       .arg(badge.x())
                                       .arg(badge.y())
                                       .arg(badge.width())
                                       .arg(badge.height())
                                       .arg(name.x())
                                       .arg(name.y())
                                       .arg(name.width())
                                       .arg(name.height())));
            }
        }));
        QVERIFY(badges > 0);
        QVERIFY(animator->badgeRects().isEmpty());
    }

    void everyPhaseEndsAtEachSpeed_data()
    {
        strata::test::addColumns<QString, double, int>("edit", "speed", "budgetMs");
        for (const double speed : {0.25, 1.0, 4.0}) {
            for (const char *edit : {"append /base_image/second_instruction.txt x", "rm /base_image/common.txt"})
                QTest::addRow("%s at %gx", edit, speed) << QString::fromLatin1(edit) << speed << 0;
        }
        // The caption's time, far less than the phases need: they take theirs all the same.
        QTest::newRow("copy-up at 0.25x, 200 ms given")
            << QStringLiteral("append /base_image/second_instruction.txt x") << 0.25 << 200;
    }

    // Each phase is played to its end, in order, for its own time at the speed: a slow class
    // sees every movement arrive.
    void everyPhaseEndsAtEachSpeed()
    {
        QFETCH(QString, edit);
        QFETCH(double, speed);
        QFETCH(int, budgetMs);
        Scene s;
        QVERIFY(s.open());
        const QList<OverlayEvent> events = s.edit(Backend::Engine, edit);
        QVERIFY(!events.isEmpty());
        EventAnimator *animator = s.w.layerColumns()->animator();
        animator->setSpeed(speed);
        QStringList started;
        QStringList finished;
        QList<qint64> startedAt;
        connect(animator, &EventAnimator::phaseStarted, this, [&](int, const QString &name) {
            started << name;
            startedAt << m_clock.total();
        });
        connect(animator, &EventAnimator::phaseFinished, this, [&](int, const QString &name) { finished << name; });
        const qint64 from = m_clock.total();
        qsizetype next = 0;
        int steps = 0;
        while ((animator->isRunning() || next < events.size()) && ++steps < 20000) {
            if (!animator->isRunning()) {
                s.w.selectPath(events.at(next).path);
                animator->animate(events.at(next++), budgetMs);
            }
            m_clock.step(40);
        }
        disconnect(animator, nullptr, this, nullptr);
        QVERIFY(steps < 20000);
        QStringList expected;
        int atOne = 0;
        for (const EventAnimator::Animation &a : animator->history()) {
            for (const EventAnimator::Phase &phase : a.phases) {
                expected << phase.name;
                atOne += phase.durationMs;
            }
        }
        QCOMPARE(started, expected);
        QCOMPARE(finished, expected);
        // Every phase had its time: the whole took what the phases take at this speed.
        QVERIFY2(m_clock.total() - from >= static_cast<qint64>(atOne / speed) - 40 * started.size(),
            qPrintable(QStringLiteral("%1 ms for %2 ms at 1x").arg(m_clock.total() - from).arg(atOne)));
        for (qsizetype i = 1; i < startedAt.size(); ++i)
            QVERIFY(startedAt.at(i) >= startedAt.at(i - 1));
        QCOMPARE(animator->progress(), 1.0);
    }

private:
    ManualClock m_clock;
};

STRATA_MOUNT_GUI_TEST_MAIN(TestEventAnimator)
#include "tst_eventanimator.moc"
