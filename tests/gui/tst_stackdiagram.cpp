// SPDX-License-Identifier: GPL-2.0-or-later
// The stack diagram strip: real geometry (planes in stack order, inside the widget, one plane
// per point), folding of tall Docker-like stacks, highlight tags, clicks, and that it paints.
// STRATA_SHOTS_DIR=/some/dir saves each rendering there as stackdiagram-*.png.
#include "tests/support/datatable.h"
#include "ui/common/mergedtreemodel.h"
#include "ui/stage/stackdiagram.h"

#include <QImage>
#include <QSignalSpy>
#include <QtTest>

using namespace strata;
using Plane = StackDiagram::Plane;
using Role = LayerRole;

namespace
{

// Bottom first, as the layer columns: lowers from the bottom up, upper, work, merged.
// `viaLower` (1-based from the bottom) is another overlay's mountpoint.
QList<Plane> makeStack(int lowers, bool writable, int viaLower = 0, bool docker = false)
{
    QList<Plane> planes;
    const int count = lowers + (writable ? 1 : 0);
    for (int i = 0; i < lowers; ++i) {
        Plane p;
        p.role = Role::Lower;
        p.name = docker   ? QStringLiteral("overlay2/%1/diff").arg(QString::number(0x5f3a91 + i * 7919, 16).repeated(4))
            : lowers == 1 ? QStringLiteral("lower_layer")
                          : QStringLiteral("lower_%1").arg(i + 1);
        // layerColor counts from the top of the stack.
        p.colour = MergedTreeModel::layerColor(count - 1 - i, count, false);
        if (i + 1 == viaLower) {
            p.name = QStringLiteral("overlay_1");
            p.via = QStringLiteral("overlay_1");
        }
        planes << p;
    }
    if (writable) {
        planes << Plane {Role::Upper, QStringLiteral("upper_layer"), MergedTreeModel::layerColor(0, count, true), {}};
        planes << Plane {Role::Work, QStringLiteral("temp_layer"), QColor(0x9e, 0x9e, 0x9e), {}};
    }
    planes << Plane {Role::Merged, QStringLiteral("overlay_layer"), {}, {}};
    return planes;
}

QList<int> indexesOf(const QList<Plane> &planes, Role role)
{
    QList<int> r;
    for (int i = 0; i < planes.size(); ++i) {
        if (planes.at(i).role == role)
            r << i;
    }
    return r;
}

void saveShot(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("STRATA_SHOTS_DIR");
    if (!dir.isEmpty())
        w.grab().save(dir + QStringLiteral("/stackdiagram-") + name + QStringLiteral(".png"));
}

} // namespace

class TestStackDiagram final : public QObject
{
    Q_OBJECT

    // Every visible plane inside the widget, found again at its centre, in stack order,
    // no two sharing a point; every plane visible or folded.
    static void checkGeometry(const StackDiagram &d)
    {
        const QList<Plane> &planes = d.planes();
        QList<int> visible;
        for (int i = 0; i < planes.size(); ++i) {
            if (d.isFolded(i)) {
                QVERIFY2(d.planeRect(i).isEmpty(), qPrintable(d.label(i)));
                continue;
            }
            const QRect r = d.planeRect(i);
            QVERIFY2(!r.isEmpty(), qPrintable(d.label(i)));
            QVERIFY2(d.rect().contains(r), qPrintable(QStringLiteral("%1 outside the widget").arg(d.label(i))));
            QCOMPARE(d.planeAt(r.center()), i);
            visible << i;
        }
        for (int a : visible) {
            for (int b : visible) {
                if (a != b)
                    QVERIFY2(!d.planeRect(a).intersects(d.planeRect(b)),
                        qPrintable(d.label(a) + QStringLiteral(" overlaps ") + d.label(b)));
            }
        }
        for (const QRect &f : d.foldRects()) {
            QVERIFY(d.rect().contains(f));
            QCOMPARE(d.planeAt(f.center()), -1);
            for (int i : visible)
                QVERIFY(!f.intersects(d.planeRect(i)));
        }
        const QList<int> lowers = indexesOf(planes, Role::Lower);
        const QList<int> uppers = indexesOf(planes, Role::Upper);
        const QList<int> merged = indexesOf(planes, Role::Merged);
        QCOMPARE(merged.size(), 1);
        const QRect m = d.planeRect(merged.first());
        // Lowers rise with their index: the bottom one lowest, every visible one above the last.
        QVERIFY(!lowers.isEmpty());
        QVERIFY2(!d.isFolded(lowers.first()), "the bottom lower is always drawn");
        QVERIFY2(!d.isFolded(lowers.last()), "the top lower is always drawn");
        int previousTop = d.height() + 1;
        for (int i : lowers) {
            if (d.isFolded(i))
                continue;
            const QRect r = d.planeRect(i);
            QVERIFY2(r.bottom() < previousTop, qPrintable(d.label(i)));
            previousTop = r.top();
        }
        for (int i : visible)
            QVERIFY(d.planeRect(lowers.first()).bottom() >= d.planeRect(i).bottom());
        const QRect topLower = d.planeRect(lowers.last());
        if (!uppers.isEmpty()) {
            const QRect u = d.planeRect(uppers.first());
            QVERIFY(u.bottom() < topLower.top());
            QVERIFY(m.bottom() < u.top());
            // Work is beside upper, on its row.
            const QRect w = d.planeRect(indexesOf(planes, Role::Work).first());
            QCOMPARE(w.top(), u.top());
            QVERIFY(w.left() > u.right());
            QVERIFY(w.width() < u.width());
        } else {
            QVERIFY(m.bottom() < topLower.top());
        }
    }

private Q_SLOTS:
    void stacks_data()
    {
        strata::test::addColumns<int, bool, int, bool, bool>("lowers", "writable", "viaLower", "docker", "folds");
        QTest::newRow("blog: 1 lower, upper, work") << 1 << true << 0 << false << false;
        QTest::newRow("3 lowers") << 3 << true << 0 << false << false;
        QTest::newRow("read-only") << 2 << false << 0 << false << false;
        QTest::newRow("multi-level") << 2 << true << 2 << false << false;
        QTest::newRow("docker 12 layers") << 12 << true << 0 << true << false;
        QTest::newRow("docker 60 layers") << 60 << true << 0 << true << true;
    }

    void stacks()
    {
        QFETCH(int, lowers);
        QFETCH(bool, writable);
        QFETCH(int, viaLower);
        QFETCH(bool, docker);
        QFETCH(bool, folds);
        StackDiagram d;
        const QList<Plane> planes = makeStack(lowers, writable, viaLower, docker);
        d.setPlanes(planes);
        QVERIFY(d.sizeHint().width() >= 180 && d.sizeHint().width() <= 300);
        QVERIFY(d.minimumSizeHint().width() <= d.sizeHint().width());
        d.resize(d.sizeHint().width(), std::max(d.sizeHint().height(), 640));
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        checkGeometry(d);
        QCOMPARE(!d.foldRects().isEmpty(), folds);

        // The words on each plane: its role and name; the via overlay; "merged view".
        const int merged = indexesOf(planes, Role::Merged).first();
        QCOMPARE(d.lines(merged).first(), QStringLiteral("merged: overlay_layer"));
        QVERIFY(d.lines(merged).contains(QStringLiteral("merged view")));
        QCOMPARE(d.label(0),
            lowers == 1 ? QStringLiteral("lower 1: lower_layer") : QStringLiteral("lower 1: ") + planes.first().name);
        if (writable) {
            QCOMPARE(d.label(lowers), QStringLiteral("upper: upper_layer"));
            QCOMPARE(d.lines(lowers + 1).first(), QStringLiteral("work (staging)"));
        }
        if (viaLower > 0)
            QVERIFY(d.lines(viaLower - 1).contains(QStringLiteral("= merged view of overlay_1")));
        saveShot(d,
            QString::fromLatin1(QTest::currentDataTag())
                .replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-")));

        // Thinner, down to the minimum size: still all inside, still in order.
        d.resize(d.minimumSizeHint());
        checkGeometry(d);
        saveShot(d, QStringLiteral("min-%1").arg(lowers));
        // Wider and taller than asked: still a strip drawn in order.
        d.resize(400, 1200);
        checkGeometry(d);
    }

    void highlight()
    {
        StackDiagram d;
        d.setPlanes(makeStack(1, true)); // 0 lower, 1 upper, 2 work, 3 merged
        d.resize(d.sizeHint().width(), 420);
        const QImage plain = d.grab().toImage();
        QVERIFY(!plain.isNull());
        QCOMPARE(plain.size(), d.size() * d.devicePixelRatio());
        QList<QRect> before;
        for (int i = 0; i < 4; ++i)
            before << d.planeRect(i);

        // common.txt from upper shadows the lower copy.
        d.setHighlight(QStringLiteral("/base_image/common.txt"), 1, {0});
        QCOMPARE(d.tagText(1), QStringLiteral("✔ provides /base_image/common.txt"));
        QCOMPARE(d.tagText(0), QStringLiteral("⊘ shadowed"));
        QVERIFY(d.tagText(2).isEmpty());
        QCOMPARE(d.tagText(3), QStringLiteral("◉ shows /base_image/common.txt from upper_layer"));
        QCOMPARE(d.lines(1).last(), d.tagText(1));
        const QImage provided = d.grab().toImage();
        QVERIFY(provided != plain);
        // render() is what the PNG and SVG export use: the same pixels, no child widgets needed.
        QImage rendered(d.size(), QImage::Format_ARGB32_Premultiplied);
        rendered.fill(Qt::transparent);
        d.render(&rendered);
        QCOMPARE(rendered.convertToFormat(provided.format()), provided);
        QVERIFY(d.findChildren<QWidget *>().isEmpty());
        saveShot(d, QStringLiteral("highlight-provides"));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(d.planeRect(i), before.at(i)); // choosing a path never moves the planes

        // Deleted: a whiteout in upper hides the lower copy.
        d.setHighlight(QStringLiteral("/base_image/common.txt"), -1, {0}, 1);
        QCOMPARE(d.tagText(1), QStringLiteral("† hides /base_image/common.txt below"));
        QCOMPARE(d.tagText(3), QStringLiteral("∅ /base_image/common.txt is not visible"));
        QVERIFY(d.grab().toImage() != provided);
        saveShot(d, QStringLiteral("highlight-whiteout"));

        d.clearHighlight();
        for (int i = 0; i < 4; ++i)
            QVERIFY(d.tagText(i).isEmpty());
        QCOMPARE(d.grab().toImage(), plain);

        // Out-of-range indexes are ignored.
        d.setHighlight(QStringLiteral("/x"), 99, {-4, 7});
        for (int i = 0; i < 4; ++i)
            QVERIFY(d.tagText(i).isEmpty() || d.planes().at(i).role == Role::Merged);
    }

    void foldedHighlightUnfolds()
    {
        StackDiagram d;
        const QList<Plane> planes = makeStack(60, true, 0, true);
        d.setPlanes(planes);
        d.resize(d.sizeHint().width(), 600);
        const int middle = 30;
        QVERIFY(d.isFolded(middle));
        QList<int> shadowed;
        for (int i = 0; i < middle; ++i)
            shadowed << i;
        d.setHighlight(QStringLiteral("/etc/os-release"), middle, shadowed, 45);
        QVERIFY(!d.isFolded(middle));
        QVERIFY(!d.isFolded(45));
        QCOMPARE(d.tagText(middle), QStringLiteral("✔ provides /etc/os-release"));
        QCOMPARE(d.planeAt(d.planeRect(middle).center()), middle);
        QVERIFY(d.foldRects().size() >= 2); // above and below the provider
        checkGeometry(d);
        saveShot(d, QStringLiteral("docker-60-highlight"));
    }

    void clicks()
    {
        StackDiagram d;
        d.setPlanes(makeStack(40, true, 0, true));
        d.resize(d.sizeHint().width(), 500);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QSignalSpy spy(&d, &StackDiagram::planeClicked);
        for (int i : {0, 39, 40, 41, 42}) {
            QTest::mouseClick(&d, Qt::LeftButton, {}, d.planeRect(i).center());
            QCOMPARE(spy.size(), 1);
            QCOMPARE(spy.takeFirst().at(0).toInt(), i);
        }
        QVERIFY(!d.foldRects().isEmpty());
        QTest::mouseClick(&d, Qt::LeftButton, {}, d.foldRects().first().center());
        QTest::mouseClick(&d, Qt::LeftButton, {}, QPoint(1, 1)); // the margin
        QTest::mouseClick(&d, Qt::RightButton, {}, d.planeRect(0).center());
        QCOMPARE(spy.size(), 0);
    }

    // Presentation mode: a bigger font makes bigger planes; a high-contrast palette is used.
    void followsFontAndPalette()
    {
        StackDiagram d;
        d.setPlanes(makeStack(3, true));
        d.resize(d.sizeHint());
        const QSize normalHint = d.sizeHint();
        const int normalHeight = d.planeRect(0).height();
        QFont big = d.font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        d.setFont(big);
        QVERIFY(d.sizeHint().width() > normalHint.width());
        QVERIFY(d.sizeHint().height() > normalHint.height());
        d.resize(d.sizeHint());
        QVERIFY(d.planeRect(0).height() > normalHeight);
        checkGeometry(d);
        QPalette p = d.palette();
        p.setColor(QPalette::Base, Qt::black);
        p.setColor(QPalette::Text, Qt::white);
        d.setPalette(p);
        const QImage img = d.grab().toImage();
        QCOMPARE(img.pixelColor(1, 1), QColor(Qt::black));
        d.setHighlight(QStringLiteral("/etc/hostname"), 3, {2, 1});
        saveShot(d, QStringLiteral("presentation-dark"));
    }

    void empty()
    {
        StackDiagram d;
        d.resize(240, 300);
        QCOMPARE(d.planeAt(QPoint(100, 100)), -1);
        QVERIFY(d.planeRect(0).isEmpty());
        QVERIFY(!d.grab().toImage().isNull());
    }
};

QTEST_MAIN(TestStackDiagram)
#include "tst_stackdiagram.moc"
