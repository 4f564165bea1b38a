// SPDX-License-Identifier: GPL-2.0-or-later
// Help (legend, About), readable colours on light and dark palettes, glyphs in the font, and
// panels that follow the state after an edit.
#include "core/merge/layerrole.h"
#include "core/merge/mergedtree.h"
#include "core/stack/scenario.h"
#include "core/stack/workspace.h"
#include "ui/common/eventstyle.h"
#include "ui/common/ink.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/common/windowgeometry.h"
#include "ui/help/aboutdialog.h"
#include "ui/help/legend.h"
#include "ui/help/legenddialog.h"
#include "ui/help/problemdialog.h"
#include "ui/mainwindow.h"
#include "ui/stage/captionbanner.h"
#include "ui/stage/layercolumns.h"
#include "ui/stage/stackdiagram.h"

#include "tests/support/datatable.h"
#include "tests/support/scenariotree.h"
#include "tests/support/windowsteps.h"

#include <QAction>
#include <QClipboard>
#include <QDirIterator>
#include <QPushButton>
#include <QRawFont>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>

#include <memory>

#include <algorithm>
#include <functional>

using namespace strata;
using strata::test::editToEnd;
using strata::test::openAndShow;

namespace
{
using Kind = OverlayEvent::Kind;
constexpr int KindCount = static_cast<int>(Kind::WorkTemp) + 1;
constexpr int RoleCount = static_cast<int>(LayerRole::Merged) + 1;

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion->standardPalette();
}

// The code points of `text` a font must draw as symbols (not ASCII, not letters).
QList<char32_t> symbols(const QString &text)
{
    QList<char32_t> out;
    for (const char32_t c : text.toUcs4()) {
        if (c > 0x7f && !QChar::isLetter(c) && !out.contains(c))
            out << c;
    }
    return out;
}

QString hex(char32_t c)
{
    return QStringLiteral("U+%1 %2").arg(uint(c), 4, 16, QLatin1Char('0')).arg(QString::fromUcs4(&c, 1));
}

} // namespace

class TestHelp final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("StratascopeTest"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void legendNamesEveryKindAndRole()
    {
        QTextDocument doc;
        doc.setHtml(Legend::html(lightPalette()));
        const QString text = doc.toPlainText();
        for (int k = 0; k < KindCount; ++k) {
            const auto kind = static_cast<Kind>(k);
            QVERIFY2(text.contains(OverlayEvent::kindName(kind)), qPrintable(OverlayEvent::kindName(kind)));
            QVERIFY(text.contains(EventStyle::of(kind).glyph));
            QVERIFY(!EventStyle::meaning(kind).isEmpty());
            for (const AnimationPart &part : EventStyle::sampleParts(kind))
                QVERIFY2(text.contains(part.label), qPrintable(part.label));
        }
        for (int r = 0; r < RoleCount; ++r) {
            const auto role = static_cast<LayerRole>(r);
            QVERIFY2(text.contains(roleName(role)), qPrintable(roleName(role)));
            QVERIFY(text.contains(EventStyle::roleGlyph(role)));
            QVERIFY(!EventStyle::roleMeaning(role).isEmpty());
        }
        for (const EventStyle::Mark &m : EventStyle::marks())
            QVERIFY2(text.contains(m.words), qPrintable(m.words));
        // The notes named in the issue, as the views say them.
        for (const char *words :
            {"copy_up", "whiteout 0/0", "opaque", "redirect", "staged in work", "metacopy", "from upper", "hidden"})
            QVERIFY2(text.contains(QLatin1String(words)), words);
    }

    void helpMenuFromTheKeyboard()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *legend = w.findChild<QAction *>(QStringLiteral("legendAction"));
        auto *about = w.findChild<QAction *>(QStringLiteral("aboutAction"));
        QVERIFY(legend && about);
        QCOMPARE(legend->shortcut(), QKeySequence(Qt::Key_F1));
        QVERIFY(!legend->text().isEmpty() && legend->text().contains(QLatin1Char('&')));
        QVERIFY(about->text().contains(QLatin1Char('&')));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_F1);
        auto *dialog = w.findChild<LegendDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->text().contains(OverlayEvent::kindName(Kind::CopyUp)));
        if (const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR"); !shots.isEmpty()) {
            dialog->resize(1280, 720);
            QVERIFY(dialog->grab().save(shots + QStringLiteral("/legend.png")));
        }
        QTRY_VERIFY(dialog->isActiveWindow());
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->isVisible());

        about->trigger();
        auto *aboutDialog = w.findChild<AboutDialog *>();
        QVERIFY(aboutDialog);
        QTRY_VERIFY(aboutDialog->isVisible());
        QTextDocument doc;
        doc.setHtml(AboutDialog::html());
        const QString text = doc.toPlainText();
        for (const QString &want : {QStringLiteral(STRATA_VERSION),
                 QStringLiteral("GPL-2.0-or-later"),
                 QString::fromLatin1(qVersion()),
                 QSysInfo::kernelVersion(),
                 QStringLiteral("docs")})
            QVERIFY2(text.contains(want), qPrintable(want + QStringLiteral(" not in: ") + text));
        QTest::keyClick(aboutDialog, Qt::Key_Escape);
        QTRY_VERIFY(!aboutDialog->isVisible());
    }

    // Help → Report a Problem…: the facts of this machine and of what is open, to copy; and the
    // window's geometry kept per screen setup.
    void reportAProblem()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("ws"));
        auto made = Scenario::create(QStringLiteral("stacked"), file);
        QVERIFY(made.ok());
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openWorkspace(made->filePath()));
        auto *report = w.findChild<QAction *>(QStringLiteral("reportProblemAction"));
        QVERIFY(report && report->text().contains(QLatin1Char('&')));
        report->trigger();
        auto *dialog = w.findChild<ProblemDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        const QString text = dialog->text();
        for (const QString &want : {QString(QStringLiteral("Stratascope ") + QStringLiteral(STRATA_VERSION)),
                 QString::fromLatin1(qVersion()),
                 QSysInfo::kernelVersion(),
                 ProblemReport::distribution(),
                 made->filePath(),
                 made->overlays().first().name,
                 QStringLiteral("engine: works"),
                 QGuiApplication::platformName(),
                 QStringLiteral("What happened instead:")})
            QVERIFY2(text.contains(want), qPrintable(want + QStringLiteral(" not in: ") + text));
        if (const QString shots = qEnvironmentVariable("STRATA_SHOTS_DIR"); !shots.isEmpty())
            QVERIFY(dialog->grab().save(shots + QStringLiteral("/report-a-problem.png")));
        auto *copy = dialog->findChild<QPushButton *>(QStringLiteral("copyReport"));
        QVERIFY(copy);
        copy->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), text);
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->isVisible());
    }

    void geometryPerScreenSetup()
    {
        QSettings().remove(QStringLiteral("windowGeometry"));
        QWidget first;
        QVERIFY(!WindowGeometry::restore(&first)); // nothing kept yet
        first.setGeometry(40, 50, 700, 500);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        WindowGeometry::save(&first);
        QVERIFY(QSettings().childGroups().contains(QStringLiteral("windowGeometry")));
        QWidget second;
        second.resize(300, 200);
        QVERIFY(WindowGeometry::restore(&second));
        QCOMPARE(second.size(), QSize(700, 500));
        QVERIFY(WindowGeometry::screenSetup().contains(QGuiApplication::primaryScreen()->name()));
        QSettings().remove(QStringLiteral("windowGeometry"));
    }

    void contrast_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << lightPalette();
        QTest::newRow("dark") << Ink::darkPalette();
    }

    void contrast()
    {
        QFETCH(QPalette, palette);
        const QColor base = palette.color(QPalette::Base);
        const auto check = [](const QColor &text, const QColor &background, const char *what) {
            const double c = Ink::contrast(text, background);
            QVERIFY2(c >= Ink::TextContrast,
                qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                               .arg(QLatin1String(what), text.name(), background.name())
                               .arg(c, 0, 'f', 2)));
        };
        for (int k = 0; k < KindCount; ++k)
            check(Ink::event(static_cast<Kind>(k), palette), base, "event words");
        check(Ink::dimmed(palette), base, "deleted entry");

        // The caption banner as the window shows it.
        QWidget holder;
        holder.setPalette(palette);
        auto *banner = new CaptionBanner(&holder);
        const Ink::Colours caption = banner->colours();
        check(caption.text, caption.background, "caption");
        QVERIFY(banner->styleSheet().contains(caption.background.name()));
        QCOMPARE(Ink::isDark(palette), Ink::luminance(caption.background) < 0.18);

        // A deleted row of the merged view, under the application's palette.
        const QPalette before = QApplication::palette();
        QApplication::setPalette(palette);
        QTemporaryDir dir;
        auto tree = test::scenarioTree(QStringLiteral("docker-like"), dir.filePath(QStringLiteral("d")));
        QVERIFY(tree.ok());
        MergedTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTree(*tree);
        int deleted = 0;
        test::forEachRow(model, [&](const QModelIndex &idx) {
            if (idx.data(MergedTreeModel::IsWhiteoutRole).toBool()) {
                ++deleted;
                check(idx.data(Qt::ForegroundRole).value<QColor>(), base, "deleted row");
            }
        });
        QApplication::setPalette(before);
        QVERIFY(deleted > 0);
    }

    void glyphsAreInTheFont_data()
    {
        QTest::addColumn<bool>("bold");
        QTest::newRow("regular") << false;
        QTest::newRow("bold") << true; // captions and chips
    }

    void glyphsAreInTheFont()
    {
        QFETCH(bool, bold);
        // The font the window draws with, and DejaVu Sans (scripts/setup.sh installs
        // fonts-dejavu-core): fontconfig falls back to it wherever the desktop's font lacks one.
        QFont used = QApplication::font();
        used.setBold(bold);
        QFont dejavu(QStringLiteral("DejaVu Sans"));
        dejavu.setBold(bold);
        const QRawFont raw = QRawFont::fromFont(dejavu);
        QVERIFY(raw.isValid());
        QCOMPARE(raw.familyName(), QStringLiteral("DejaVu Sans"));
        const QFontMetrics fm(used);
        QStringList missing;
        for (const QString &text : Legend::texts()) {
            for (const char32_t c : symbols(text)) {
                if (!raw.supportsCharacter(c) || !fm.inFontUcs4(c))
                    missing << hex(c) + QStringLiteral(" in \"") + text + QLatin1Char('"');
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("; "))));
    }

    void everyGlyphInTheSourcesIsInTheFont()
    {
        // Beyond the tables: every symbol in a string of the window's sources.
        const QString src = qEnvironmentVariable("STRATA_SOURCE_DIR");
        QVERIFY(!src.isEmpty());
        const QRawFont raw = QRawFont::fromFont(QFont(QStringLiteral("DejaVu Sans")));
        QStringList missing;
        int files = 0;
        for (const char *folder : {"ui", "app/stratascope"}) {
            QDirIterator it(src + QLatin1Char('/') + QLatin1String(folder),
                {QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                QDir::Files,
                QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                ++files;
                int lineNo = 0;
                for (const QByteArray &line : f.readAll().split('\n')) {
                    ++lineNo;
                    // Only what is inside quotes: comments may use any character.
                    const QList<QByteArray> parts = line.split('"');
                    for (qsizetype i = 1; i < parts.size(); i += 2) {
                        for (const char32_t c : symbols(QString::fromUtf8(parts.at(i)))) {
                            if (!raw.supportsCharacter(c))
                                missing << QStringLiteral("%1:%2 %3").arg(it.fileName()).arg(lineNo).arg(hex(c));
                        }
                    }
                }
            }
        }
        QVERIFY(files > 20);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("; "))));
    }

    void legendCoversWhatTheViewsSay_data() { test::scenarioRows(); }

    void legendCoversWhatTheViewsSay()
    {
        // Every note under a layer column starts with a glyph the legend explains, and every
        // note of the merged tree is one the legend lists.
        QFETCH(QString, scenario);
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, scenario, dir.filePath(QStringLiteral("ws"))));
        if (const int overlays = static_cast<int>(w.workspace()->overlays().size()); overlays > 1) {
            w.selectOverlay(overlays - 1);
            QVERIFY(ready.wait(10000));
        }
        QTRY_VERIFY(w.layerColumns()->columnCount() > 1 && !w.isScanning());
        QStringList columnGlyphs;
        QStringList treeNotes;
        for (const EventStyle::Mark &m : EventStyle::marks()) {
            if (m.where == EventStyle::Mark::Where::Columns)
                columnGlyphs << m.glyph;
            if (m.where != EventStyle::Mark::Where::Tree)
                continue;
            for (const QString &alt : m.words.split(QStringLiteral(" / ")))
                treeNotes << QString(alt).remove(QStringLiteral("…")).trimmed();
        }
        const MergedTreeModel *model = w.model();
        QStringList unexplained;
        int seen = 0;
        test::forEachRow(*model, [&](const QModelIndex &idx) {
            const QString notes = idx.siblingAtColumn(MergedTreeModel::NotesColumn).data().toString();
            for (const QString &part : notes.split(QStringLiteral(" · "), Qt::SkipEmptyParts)) {
                ++seen;
                if (std::none_of(
                        treeNotes.cbegin(), treeNotes.cend(), [&](const QString &n) { return part.startsWith(n); }))
                    unexplained << part;
            }
            w.layerColumns()->selectPath(idx.data(MergedTreeModel::MergedPathRole).toString());
            for (int c = 0; c < w.layerColumns()->columnCount(); ++c) {
                const QString status = w.layerColumns()->status(c);
                seen += status.isEmpty() ? 0 : 1;
                if (!status.isEmpty() && !columnGlyphs.contains(status.section(QLatin1Char(' '), 0, 0)))
                    unexplained << status;
            }
        });
        QVERIFY(seen > 20);
        QVERIFY2(unexplained.isEmpty(), qPrintable(unexplained.join(QStringLiteral("; "))));
    }

    void detailsFollowTheState()
    {
        strata::test::EngineWindow f;
        QVERIFY(f.open(QStringLiteral("blog")));
        MainWindow &w = f.w;
        QSignalSpy &ready = f.ready;
        QCOMPARE(editToEnd(w, {QStringLiteral("touch"), QStringLiteral("/new.txt")}), 0);
        QVERIFY(ready.wait(10000));
        QVERIFY(w.selectPath(QStringLiteral("/new.txt")));
        QVERIFY2(w.detailsText().contains(QStringLiteral("upper_layer")), qPrintable(w.detailsText()));

        // Deleted: the panel says so instead of where it came from.
        QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/new.txt")}), 0);
        QVERIFY(ready.wait(10000));
        QVERIFY2(!w.detailsText().contains(QStringLiteral("upper_layer")), qPrintable(w.detailsText()));
        QVERIFY2(w.detailsText().contains(QStringLiteral("/new.txt")), qPrintable(w.detailsText()));
        QVERIFY2(w.detailsText().contains(QStringLiteral("Not in the merged view")), qPrintable(w.detailsText()));

        // A path that stays is explained again from the new tree: common.txt deleted by a whiteout.
        QVERIFY(w.selectPath(QStringLiteral("/base_image/common.txt")));
        const QString before = w.detailsText();
        QCOMPARE(editToEnd(w, {QStringLiteral("rm"), QStringLiteral("/base_image/common.txt")}), 0);
        QVERIFY(ready.wait(10000));
        QVERIFY2(w.detailsText() != before, qPrintable(w.detailsText()));
        QVERIFY2(w.detailsText().contains(QStringLiteral("whiteout")), qPrintable(w.detailsText()));
    }

    void stackedDiagramSaysThrough()
    {
        // overlay_layer_2 over overlay_layer: its lowers are overlay_layer's layers, seen through its mountpoint.
        MainWindow w;
        QSignalSpy ready(&w, &MainWindow::treeReady);
        QTemporaryDir dir;
        QVERIFY(openAndShow(w, ready, QStringLiteral("stacked"), dir.filePath(QStringLiteral("s"))));
        w.selectOverlay(1);
        QVERIFY(ready.wait(10000));
        StackDiagram *d = w.findChild<StackDiagram *>();
        QVERIFY(d);
        int vias = 0;
        for (int i = 0; i < d->planes().size(); ++i) {
            const StackDiagram::Plane &pl = d->planes().at(i);
            if (pl.via.isEmpty())
                continue;
            ++vias;
            const QString all = d->lines(i).join(QLatin1Char('\n')) + QLatin1Char('\n') + d->viaText(i, true);
            QVERIFY2(!all.contains(QStringLiteral("= ")), qPrintable(all)); // lower_layer is not overlay_layer
            QVERIFY2(d->viaText(i, false).contains(QStringLiteral("through overlay overlay_layer")), qPrintable(all));
            QVERIFY2(d->viaText(i, true).contains(QStringLiteral("via overlay_layer")), qPrintable(all));
        }
        QCOMPARE(vias, 2); // lower_layer and upper_layer
    }
};

QTEST_MAIN(TestHelp)
#include "tst_help.moc"
