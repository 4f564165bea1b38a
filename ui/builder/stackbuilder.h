// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/mount/optionprobe.h"
#include "core/mount/stackchecker.h"
#include "ui/builder/stackdraft.h"
#include "ui/common/backgroundjob.h"

#include <QDialog>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
class QUndoStack;

namespace strata
{

class BuilderModel;
class OptionsEditor;
class StackDiagram;

/// File → New Stack… and Edit Stack…: the user's own directories as an overlay stack. Lowers
/// are picked (or made empty), reordered by drag and drop or Move Up/Down, removed; an upper
/// and work directory make an overlay writable; "Stack on Top" adds an overlay on another's
/// merged directory. Every change is a command on the undo stack. The mount command and the
/// stack diagram follow each change; Check has the kernel try the overlays in a throwaway
/// namespace (StackChecker); Save writes stratascope.json through `strata new`'s checks.
class StackBuilder final : public QDialog
{
    Q_OBJECT
public:
    /// `support`: what the kernel takes; when not given it is probed in the background.
    explicit StackBuilder(
        const StackDraft &draft, QWidget *parent = nullptr, std::optional<OptionProbe::Support> support = std::nullopt);
    ~StackBuilder() override;

    [[nodiscard]] const StackDraft &draft() const;
    [[nodiscard]] BuilderModel *model() const { return m_model; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }
    [[nodiscard]] OptionsEditor *optionsEditor() const { return m_options; }
    [[nodiscard]] StackDiagram *diagram() const { return m_diagram; }
    [[nodiscard]] QTreeView *layerView() const { return m_view; }
    [[nodiscard]] int currentOverlay() const { return m_current; }
    void selectOverlay(int overlay);
    /// The mount commands shown, one per overlay; or why the stack cannot be mounted as it is.
    [[nodiscard]] QString mountCommandText() const;
    [[nodiscard]] QString checkText() const;
    [[nodiscard]] bool isChecking() const { return m_check.isRunning(); }
    [[nodiscard]] bool isProbing() const { return m_probe.isRunning(); }
    /// The file the last save wrote; empty before.
    [[nodiscard]] const QString &savedFile() const { return m_saved; }

    // Each of these is one command on the undo stack (none when nothing changes).
    void setFolder(const QString &folder);
    void addLowers(int overlay, const QStringList &dirs);
    /// Makes the empty directory `path` (the one directory the builder makes at once: the user
    /// asked for it) and adds it as overlay's top lower.
    bool addEmptyLower(int overlay, const QString &path);
    void moveLower(int overlay, int from, int to);
    void removeLower(int overlay, int lower);
    /// Row `lower` of the overlay's list made a data-only layer (datadir+, "::"), or a regular
    /// lower again (StackDraft::setDataOnly()).
    void setDataOnly(int overlay, int lower, bool dataOnly);
    void removeOverlay(int overlay);
    void addOverlay();
    /// A new writable overlay whose lower is `overlay`'s merged directory.
    void stackOnTop(int overlay);
    void setName(int overlay, const QString &name);
    void setMountpoint(int overlay, const QString &dir);
    /// Writable: an upper and a work directory (<folder>/<name>-upper, -work unless given).
    void setWritable(int overlay, bool writable);
    void setUpper(int overlay, const QString &dir);
    void setWork(int overlay, const QString &dir);
    void setOption(int overlay, const QString &key, const QString &value);

    /// The kernel tries every overlay in the background; checked() tells the end.
    void check();
    /// Writes <folder>/stratascope.json; on success the dialog is accepted.
    [[nodiscard]] Result<Workspace> save();

Q_SIGNALS:
    void checked();
    void probed();
    void saved(const QString &file);

private:
    using CheckResult = std::shared_ptr<const Result<QVector<StackChecker::Overlay>>>;

    void buildUi();
    QWidget *buildLayers();
    QWidget *buildForm();
    QWidget *buildLive();
    void connectForm();
    /// Pushes a command that turns the draft into `next`.
    void change(const QString &text, const StackDraft &next);
    /// Sets overlay's upper or work directory.
    void setDirectory(int overlay, QString OverlayRequest::*member, const QString &dir, const QString &text);
    void apply(const StackDraft &draft);
    void refresh();
    void refreshForm();
    void refreshLive();
    void showCheck(const CheckResult &result);
    void startProbe();
    int currentLower() const;
    void pickLowers();
    void pickEmptyLower();
    void saveClicked();

    BuilderModel *m_model = nullptr;
    QUndoStack *m_undo = nullptr;
    int m_current = -1;
    QString m_saved;

    QLineEdit *m_folder = nullptr;
    QTreeView *m_view = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_stack = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_mountpoint = nullptr;
    QCheckBox *m_writable = nullptr;
    QLineEdit *m_upper = nullptr;
    QLineEdit *m_work = nullptr;
    OptionsEditor *m_options = nullptr;
    QLabel *m_note = nullptr;
    StackDiagram *m_diagram = nullptr;
    QPlainTextEdit *m_command = nullptr;
    QPushButton *m_checkButton = nullptr;
    QLabel *m_checkResult = nullptr;

    BackgroundJob<std::shared_ptr<const OptionProbe::Support>> m_probe;
    BackgroundJob<CheckResult> m_check;
};

} // namespace strata
