// SPDX-License-Identifier: GPL-2.0-or-later
// Every edit the engine refuses, one row each: the errno the kernel gives (checked against a
// real mount where this process can mount), and a sentence that names the path — never a
// bare number. The engine part runs everywhere; the kernel part needs the mount privilege.
#include "core/engine/overlayengine.h"
#include "core/session/enginesession.h"
#include "core/stack/scenario.h"
#include "tests/support/datatable.h"
#include "tests/support/kernelmount.h"
#include "tests/support/layerstack.h"
#include "tests/support/privatemountns.h"

#include <QtTest>

#include <cerrno>

using namespace strata;
using namespace strata::test;

namespace
{
// The stack every row edits: a lower layer with a merged directory, files, a symlink, a fifo.
const QStringList Stack = {
    QStringLiteral("L0 f file 1"),
    QStringLiteral("L0 f dir/inner 2"),
    QStringLiteral("L0 d empty"),
    QStringLiteral("L0 l link file"),
    QStringLiteral("L0 p fifo"),
    QStringLiteral("L0 c null 1:3"),
    QStringLiteral("L0 c full 1:7"),
    QStringLiteral("U f dir/up 3"),
    QStringLiteral("U r moved dir"),
    QStringLiteral("U d updir"),
};
} // namespace

class TestEngineErrors final : public MountTest
{
    Q_OBJECT

private Q_SLOTS:
    void refusedEdit_data()
    {
        // named: a path the sentence must name
        // follow: redirect_dir=follow (else nofollow)
        // kernel: the kernel, through MergedOperation, answers the same
        strata::test::addColumns<QString, int, QString, bool, bool>("edit", "error", "named", "follow", "kernel");

        auto row = [](const char *name,
                       const char *edit,
                       int error,
                       const char *named,
                       bool follow = true,
                       bool kernel = true) {
            QTest::newRow(name) << QString::fromLatin1(edit) << error << QString::fromLatin1(named) << follow << kernel;
        };
        row("rm of a missing name", "rm /nope", ENOENT, "/nope");
        row("rm-r of a missing name", "rm-r /nope", ENOENT, "/nope");
        row("chmod of a missing name", "chmod 644 /nope", ENOENT, "/nope");
        row("write below a missing directory", "write /nope/x t", ENOENT, "/nope");
        row("mv of a missing name", "mv /nope /other", ENOENT, "/nope");
        row("mv into a missing directory", "mv /file /nope/file", ENOENT, "/nope");
        row("write below a file", "write /file/x t", ENOTDIR, "/file");
        row("mkdir below a file", "mkdir /file/d", ENOTDIR, "/file");
        row("rmdir of a file", "rmdir /file", ENOTDIR, "/file");
        row("mv of a directory over a file", "mv /empty /file", ENOTDIR, "/empty");
        row("write below a symlink", "write /link/x t", ELOOP, "/link");
        row("write to a symlink", "write /link t", ELOOP, "/link");
        row("mkdir of an existing name", "mkdir /dir", EEXIST, "/dir");
        row("ln-s over an existing name", "ln-s t /file", EEXIST, "/file");
        row("ln over an existing name", "ln /file /dir", EEXIST, "/dir");
        row("rmdir of a merged directory that is not empty", "rmdir /dir", ENOTEMPTY, "/dir");
        row("mv onto an ancestor", "mv /dir/inner /dir", ENOTEMPTY, "/dir");
        row("mv over a directory that is not empty", "mv /updir /dir", ENOTEMPTY, "/dir");
        row("rm of a directory", "rm /dir", EISDIR, "/dir");
        row("write to a directory", "write /dir t", EISDIR, "/dir");
        row("truncate of a directory", "truncate /dir 0", EISDIR, "/dir");
        row("mv of a file over a directory", "mv /file /empty", EISDIR, "/empty");
        row("mv of a lower directory without redirect_dir", "mv /empty /renamed", EXDEV, "/empty");
        row("mv of a directory into itself", "mv /dir /dir/sub", EINVAL, "/dir");
        // rmdir(2) of a mount point says EBUSY, but edits name the root as "." (EINVAL).
        row("rmdir of the root", "rmdir /", EINVAL, "/");
        row("ln of a directory", "ln /dir /dir2", EPERM, "/dir");
        row("write to a fifo nobody reads", "write /fifo t", ENXIO, "/fifo");
        row("chmod of a symlink", "chmod 644 /link", EOPNOTSUPP, "/link");
        row("setxattr user.* on a symlink", "setxattr user.a v /link", EPERM, "/link");
        row("rmxattr of what the lower copy lacks", "rmxattr user.nope /file", ENODATA, "/file");
        row("rmdir of a redirect not followed", "rmdir /moved", EPERM, "/moved", false);
        // Dots, walked as the kernel walks them below the merged root (RESOLVE_BENEATH).
        row(".. above the root", "write ../../etc/passwd t", EXDEV, "/");
        row(".. above the root, last", "chmod 644 /..", EXDEV, "/");
        row("rm-r of .. above the root", "rm-r /..", EXDEV, "/");
        row(".. after a missing name", "write /nope/../x t", ENOENT, "/nope");
        row(".. after a file", "write /file/../x t", ENOTDIR, "/file");
        row(". after a file", "chmod 644 /file/.", ENOTDIR, "/file");
        row("rmdir of a final .", "rmdir /dir/.", EINVAL, "/dir/.");
        row("rmdir of a final ..", "rmdir /dir/..", ENOTEMPTY, "/dir/..");
        row("rm of a final ..", "rm /dir/..", EISDIR, "/dir/..");
        row("mkdir of a final ..", "mkdir /dir/..", EEXIST, "/dir/..");
        row("mv of a final ..", "mv /dir/.. /x", EBUSY, "/dir/..");
        row("mv onto a final ..", "mv /file /dir/..", EBUSY, "/dir/..");
        row("rm-r of a final ..", "rm-r /dir/..", EINVAL, "/dir/..");
        row("rm-r of the root", "rm-r /", EINVAL, "/");
        // A trailing slash asks for a directory.
        row("write to a file with a slash", "write /file/ t", EISDIR, "/file/");
        row("append to a file with a slash", "append /file/ t", EISDIR, "/file/");
        row("touch of a file with a slash", "touch /file/", EISDIR, "/file/");
        row("write to a new name with a slash", "write /new/ t", EISDIR, "/new/");
        row("write to a symlink with a slash", "write /link/ t", EISDIR, "/link/");
        row("truncate of a file with a slash", "truncate /file/ 0", ENOTDIR, "/file");
        row("truncate of a symlink with a slash", "truncate /link/ 0", ENOTDIR, "/link");
        row("rm of a file with a slash", "rm /file/", ENOTDIR, "/file");
        row("rmdir of a file with a slash", "rmdir /file/", ENOTDIR, "/file");
        row("rm-r of a file with a slash", "rm-r /file/", ENOTDIR, "/file");
        row("chmod of a file with a slash", "chmod 644 /file/", ENOTDIR, "/file");
        row("setxattr of a file with a slash", "setxattr user.a v /file/", ENOTDIR, "/file");
        row("mv of a file with a slash", "mv /file/ /x", ENOTDIR, "/file");
        row("mv of a file to a name with a slash", "mv /file /x/", ENOTDIR, "/file");
        row("ln-s to a new name with a slash", "ln-s t /new/", ENOENT, "/new/");
        row("ln to a new name with a slash", "ln /file /new/", ENOENT, "/new/");
        // Devices open as themselves, no copy-up: their own answers.
        row("truncate of a character device", "truncate /null 0", EINVAL, "/null");
        row("write to a full device", "write /full t", ENOSPC, "/full");
        // The overlay's own names are escaped on the layer, 8 bytes longer.
        const QByteArray longName = "setxattr trusted.overlay." + QByteArray(234, 'n') + " v /file";
        row("an overlay xattr name too long to escape", longName.constData(), EOPNOTSUPP, "/file");
    }

    void refusedEdit()
    {
        QFETCH(QString, edit);
        QFETCH(int, error);
        QFETCH(QString, named);
        QFETCH(bool, follow);
        QFETCH(bool, kernel);
        auto op = MergedOperation::parse(edit.split(QLatin1Char(' ')));
        QVERIFY2(op.ok(), op.ok() ? "" : qPrintable(op.error().message));

        LayerStack engineSide(1, true);
        QVERIFY2(engineSide.apply(Stack), qPrintable(engineSide.errorString()));
        OverlayEngine::Config config;
        config.lowers = engineSide.lowers();
        config.lowerNames = {QStringLiteral("L0")};
        config.upper = engineSide.upper();
        config.work = engineSide.work();
        config.upperName = QStringLiteral("U");
        config.followRedirects = follow;
        OverlayEngine engine(config);
        const Status status = engine.perform(*op);
        QVERIFY2(!status.ok(), "the engine did the edit");
        QCOMPARE(status.error().code, error);
        const QString &message = status.error().message;
        QVERIFY2(message.contains(named), qPrintable(message));
        QVERIFY2(message.contains(QString::fromLocal8Bit(std::strerror(error))), qPrintable(message));
        QCOMPARE(engine.apply(*op), error); // and again, unchanged by the refusal

        if (!m_mountUnavailable.isEmpty()) {
            if (inCi())
                QFAIL(qPrintable(QStringLiteral("CI=true and mounting is impossible: ") + m_mountUnavailable));
            return; // the errno above is the one the kernel test pinned; no kernel here to ask
        }
        if (!kernel)
            return;
        LayerStack kernelSide(1, true);
        QVERIFY(kernelSide.apply(Stack));
        KernelMount mount;
        QVERIFY2(mount.mount(kernelSide,
                     follow ? QStringLiteral("redirect_dir=follow,index=off,metacopy=off,xino=off")
                            : QStringLiteral("redirect_dir=nofollow,index=off,metacopy=off,xino=off")),
            qPrintable(mount.errorString()));
        QCOMPARE(op->apply(kernelSide.mountpoint()), error);
    }

    void sessionCarriesTheSentence()
    {
        // An engine session fills the outcome from the engine's Error.
        QTemporaryDir dir;
        auto ws = Scenario::create(QStringLiteral("blog"), dir.filePath(QStringLiteral("ws")));
        QVERIFY(ws.ok());
        auto session = EngineSession::open(*ws, 0);
        QVERIFY(session.ok());
        auto op = MergedOperation::parse({QStringLiteral("rmdir"), QStringLiteral("/base_image")});
        QVERIFY(op.ok());
        auto outcome = session->apply(*op);
        QVERIFY(outcome.ok());
        QVERIFY(!outcome->status.ok());
        QCOMPARE(outcome->error, int(ENOTEMPTY));
        QCOMPARE(outcome->status.error().code, int(ENOTEMPTY));
        QCOMPARE(outcome->errorText, outcome->status.error().message);
        QVERIFY2(outcome->errorText.contains(QStringLiteral("/base_image")), qPrintable(outcome->errorText));
        QVERIFY(outcome->events.isEmpty());
    }
};

STRATA_MOUNT_TEST_MAIN(TestEngineErrors)
#include "tst_engine_errors.moc"
