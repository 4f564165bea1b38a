// SPDX-License-Identifier: GPL-2.0-or-later
// Every value of the enums whose words come from a list (core/util/enumwords.h) has its own
// word, in the list's order.
#include "core/events/overlayevent.h"
#include "core/fs/entrytype.h"
#include "core/image/archive/archivestore.h"
#include "core/image/storelayerkind.h"
#include "core/merge/layerrole.h"
#include "core/session/backend.h"
#include "core/util/jsonstring.h"
#include "tests/support/datatable.h"

#include <QSet>
#include <QTest>

#include <functional>

using namespace strata;

class TestEnumWords final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyValueHasAWord_data()
    {
        // count: values 0..count-1
        // last: the last enumerator
        strata::test::addColumns<int, int, bool, std::function<QString(int)>>("count", "last", "distinct", "word");
        QTest::newRow("LayerRole") << 4 << int(LayerRole::Merged) << true
                                   << std::function<QString(int)>([](int v) { return roleName(LayerRole(v)); });
        QTest::newRow("Backend") << int(AllBackends.size()) << int(Backend::Fuse) << true
                                 << std::function<QString(int)>([](int v) { return backendName(Backend(v)); });
        QTest::newRow("EntryType") << 9 << int(EntryType::Whiteout) << true
                                   << std::function<QString(int)>([](int v) { return entryTypeName(EntryType(v)); });
        QTest::newRow("StoreLayerKind (find)")
            << 4 << int(StoreLayerKind::Unused) << true
            << std::function<QString(int)>([](int v) { return searchRoleName(StoreLayerKind(v)); });
        QTest::newRow("StoreLayerKind (explain)")
            << 4 << int(StoreLayerKind::Unused) << false
            << std::function<QString(int)>([](int v) { return stackRoleName(StoreLayerKind(v)); });
        QTest::newRow("OverlayEvent::Kind")
            << 10 << int(OverlayEvent::Kind::WorkTemp) << true
            << std::function<QString(int)>([](int v) { return OverlayEvent::kindName(OverlayEvent::Kind(v)); });
        QTest::newRow("ArchiveStore::Format")
            << 5 << int(ArchiveStore::Format::LayerTar) << true
            << std::function<QString(int)>([](int v) { return ArchiveStore::formatName(ArchiveStore::Format(v)); });
        QTest::newRow("QJsonValue::Type")
            << 6 << int(QJsonValue::Object) << true
            << std::function<QString(int)>([](int v) { return jsonTypeName(QJsonValue(QJsonValue::Type(v))); });
    }

    void everyValueHasAWord()
    {
        QFETCH(int, count);
        QFETCH(int, last);
        QFETCH(bool, distinct);
        QFETCH(std::function<QString(int)>, word);
        QCOMPARE(last, count - 1); // the rows cover each enum up to its last value
        QSet<QString> seen;
        for (int v = 0; v < count; ++v) {
            const QString w = word(v);
            QVERIFY2(!w.isEmpty(), qPrintable(QStringLiteral("value %1 has no word").arg(v)));
            seen.insert(w);
        }
        if (distinct)
            QCOMPARE(seen.size(), count);
    }

    void backendsParseBack()
    {
        for (Backend b : AllBackends)
            QCOMPARE(parseBackend(backendName(b)), std::optional<Backend>(b));
        QVERIFY(!parseBackend(QStringLiteral("magic")));
    }

    void jsonUndefinedIsNothing()
    {
        QCOMPARE(jsonTypeName(QJsonValue(QJsonValue::Undefined)), QStringLiteral("nothing"));
    }
};

QTEST_GUILESS_MAIN(TestEnumWords)
#include "tst_enumwords.moc"
