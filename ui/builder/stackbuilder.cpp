// SPDX-License-Identifier: GPL-2.0-or-later
#include "ui/builder/stackbuilder.h"

#include "core/stack/mountcommand.h"
#include "ui/builder/buildermodel.h"
#include "ui/builder/draftcommand.h"
#include "ui/builder/optionrules.h"
#include "ui/builder/optionseditor.h"
#include "ui/stage/columnplan.h"
#include "ui/stage/stackdiagram.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cstring>

namespace strata
{

namespace
{

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

QString html(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

StackBuilder::StackBuilder(const StackDraft &draft, QWidget *parent, std::optional<OptionProbe::Support> support)
    : QDialog(parent), m_model(new BuilderModel(this)), m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("stackBuilder"));
    setWindowTitle(draft.overlays.isEmpty() ? tr("New Stack") : tr("Build a Stack"));
    m_model->setDraft(draft);
    m_current = draft.overlays.isEmpty() ? -1 : 0;
    buildUi();
    // A drop is asked for during the view's drop event: made once that is over.
    connect(m_model, &BuilderModel::moveRequested, this, &StackBuilder::moveLower, Qt::QueuedConnection);
    connect(m_model, &BuilderModel::dataOnlyRequested, this, &StackBuilder::setDataOnly, Qt::QueuedConnection);
    if (support) {
        m_options->setSupport(*support);
        m_model->setDataOnlyRefusal(OptionRules::dataOnlyRefusal(*support));
    } else
        startProbe();
    refresh();
}

StackBuilder::~StackBuilder()
{
    m_check.stop();
    m_probe.stop();
}

const StackDraft &StackBuilder::draft() const
{
    return m_model->draft();
}

void StackBuilder::buildUi()
{
    auto *top = new QVBoxLayout(this);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Workspace folder (stratascope.json goes here):")));
    m_folder = new QLineEdit;
    m_folder->setObjectName(QStringLiteral("folder"));
    m_folder->setPlaceholderText(tr("choose a folder"));
    folderRow->addWidget(m_folder, 1);
    QPushButton *browse = button(tr("Browse…"), QStringLiteral("browseFolder"), this);
    folderRow->addWidget(browse);
    top->addLayout(folderRow);
    connect(m_folder, &QLineEdit::editingFinished, this, [this] { setFolder(m_folder->text()); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Workspace folder"), draft().folder);
        if (!d.isEmpty())
            setFolder(d);
    });

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(buildLayers());
    split->addWidget(buildForm());
    split->addWidget(buildLive());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 4);
    split->setStretchFactor(2, 3);
    top->addWidget(split, 1);

    auto *bottom = new QHBoxLayout;
    QPushButton *undo = button(tr("Undo"), QStringLiteral("undo"), this);
    QPushButton *redo = button(tr("Redo"), QStringLiteral("redo"), this);
    undo->setShortcut(QKeySequence::Undo);
    redo->setShortcut(QKeySequence::Redo);
    connect(undo, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(redo, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, undo, &QPushButton::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, redo, &QPushButton::setEnabled);
    connect(m_undo, &QUndoStack::undoTextChanged, undo, [undo](const QString &t) {
        undo->setToolTip(t.isEmpty() ? QString() : tr("Undo %1").arg(t));
    });
    undo->setEnabled(false);
    redo->setEnabled(false);
    bottom->addWidget(undo);
    bottom->addWidget(redo);
    bottom->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &StackBuilder::saveClicked);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    bottom->addWidget(buttons);
    top->addLayout(bottom);
}

QWidget *StackBuilder::buildLayers()
{
    auto *box = new QGroupBox(tr("Overlays and their lower layers (top first; drag to reorder)"));
    auto *v = new QVBoxLayout(box);
    m_view = new QTreeView;
    m_view->setObjectName(QStringLiteral("layers"));
    m_view->setModel(m_model);
    m_view->setHeaderHidden(true);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    v->addWidget(m_view, 1);
    connect(m_model, &QAbstractItemModel::modelReset, m_view, &QTreeView::expandAll);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &i) {
        const int o = BuilderModel::overlayOf(i);
        if (o >= 0 && o != m_current) {
            m_current = o;
            refreshForm();
            refreshLive();
        }
        refresh();
    });

    auto *row1 = new QHBoxLayout;
    QPushButton *add = button(tr("Add Lowers…"), QStringLiteral("addLowers"), box);
    QPushButton *empty = button(tr("New Empty Lower…"), QStringLiteral("newEmptyLower"), box);
    row1->addWidget(add);
    row1->addWidget(empty);
    v->addLayout(row1);
    auto *row2 = new QHBoxLayout;
    m_up = button(tr("Move Up"), QStringLiteral("moveUp"), box);
    m_down = button(tr("Move Down"), QStringLiteral("moveDown"), box);
    m_remove = button(tr("Remove"), QStringLiteral("remove"), box);
    row2->addWidget(m_up);
    row2->addWidget(m_down);
    row2->addWidget(m_remove);
    v->addLayout(row2);
    auto *row3 = new QHBoxLayout;
    QPushButton *overlay = button(tr("New Overlay"), QStringLiteral("newOverlay"), box);
    m_stack = button(tr("Stack on Top"), QStringLiteral("stackOnTop"), box);
    m_stack->setToolTip(tr("Another overlay whose lower layer is this overlay's merged directory"));
    row3->addWidget(overlay);
    row3->addWidget(m_stack);
    v->addLayout(row3);

    connect(add, &QPushButton::clicked, this, &StackBuilder::pickLowers);
    connect(empty, &QPushButton::clicked, this, &StackBuilder::pickEmptyLower);
    connect(m_up, &QPushButton::clicked, this, [this] { moveLower(m_current, currentLower(), currentLower() - 1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveLower(m_current, currentLower(), currentLower() + 1); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (currentLower() >= 0)
            removeLower(m_current, currentLower());
        else
            removeOverlay(m_current);
    });
    connect(overlay, &QPushButton::clicked, this, &StackBuilder::addOverlay);
    connect(m_stack, &QPushButton::clicked, this, [this] { stackOnTop(m_current); });
    return box;
}

QWidget *StackBuilder::buildForm()
{
    auto *box = new QGroupBox(tr("The selected overlay"));
    auto *v = new QVBoxLayout(box);
    auto *form = new QFormLayout;
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("name"));
    m_mountpoint = new QLineEdit;
    m_mountpoint->setObjectName(QStringLiteral("mountpoint"));
    m_writable = new QCheckBox(tr("Writable: an upper and a work directory (else read-only)"));
    m_writable->setObjectName(QStringLiteral("writable"));
    m_upper = new QLineEdit;
    m_upper->setObjectName(QStringLiteral("upper"));
    m_work = new QLineEdit;
    m_work->setObjectName(QStringLiteral("work"));
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Mountpoint:"), m_mountpoint);
    form->addRow(m_writable);
    form->addRow(tr("Upper:"), m_upper);
    form->addRow(tr("Work:"), m_work);
    v->addLayout(form);
    m_options = new OptionsEditor;
    m_options->setObjectName(QStringLiteral("options"));
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_options);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    v->addWidget(new QLabel(tr("<b>Mount options</b> (disabled ones say why)")));
    v->addWidget(scroll, 1);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setWordWrap(true);
    v->addWidget(m_note);
    connectForm();
    return box;
}

void StackBuilder::connectForm()
{
    connect(m_name, &QLineEdit::editingFinished, this, [this] { setName(m_current, m_name->text().trimmed()); });
    connect(m_mountpoint, &QLineEdit::editingFinished, this, [this] {
        setMountpoint(m_current, m_mountpoint->text().trimmed());
    });
    connect(m_writable, &QCheckBox::toggled, this, [this](bool on) { setWritable(m_current, on); });
    connect(m_upper, &QLineEdit::editingFinished, this, [this] { setUpper(m_current, m_upper->text().trimmed()); });
    connect(m_work, &QLineEdit::editingFinished, this, [this] { setWork(m_current, m_work->text().trimmed()); });
    connect(m_options, &OptionsEditor::optionChosen, this, [this](const QString &key, const QString &value) {
        setOption(m_current, key, value);
    });
}

QWidget *StackBuilder::buildLive()
{
    auto *box = new QGroupBox(tr("Live: the stack and its mount command"));
    auto *v = new QVBoxLayout(box);
    m_diagram = new StackDiagram;
    m_diagram->setObjectName(QStringLiteral("diagram"));
    v->addWidget(m_diagram, 3);
    m_command = new QPlainTextEdit;
    m_command->setObjectName(QStringLiteral("mountCommand"));
    m_command->setReadOnly(true);
    m_command->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    v->addWidget(m_command, 2);
    m_checkButton = button(tr("Check with the Kernel"), QStringLiteral("check"), box);
    m_checkButton->setToolTip(
        tr("The kernel tries every overlay in a throwaway private namespace: nothing stays mounted"));
    v->addWidget(m_checkButton);
    m_checkResult = new QLabel;
    m_checkResult->setObjectName(QStringLiteral("checkResult"));
    m_checkResult->setWordWrap(true);
    m_checkResult->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_checkResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_checkResult);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    v->addWidget(scroll, 2);
    connect(m_checkButton, &QPushButton::clicked, this, &StackBuilder::check);
    return box;
}

void StackBuilder::selectOverlay(int overlay)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    m_current = overlay;
    m_view->setCurrentIndex(m_model->overlayIndex(overlay));
    refresh();
}

int StackBuilder::currentLower() const
{
    const QModelIndex i = m_view->currentIndex();
    return BuilderModel::overlayOf(i) == m_current ? BuilderModel::lowerOf(i) : -1;
}

void StackBuilder::change(const QString &text, const StackDraft &next)
{
    if (next == draft())
        return;
    m_undo->push(new DraftCommand(text, draft(), next, [this](const StackDraft &d) { apply(d); }));
}

void StackBuilder::apply(const StackDraft &d)
{
    const int lower = currentLower();
    m_model->setDraft(d);
    m_current = d.overlays.isEmpty() ? -1 : std::clamp(m_current, 0, int(d.overlays.size()) - 1);
    if (m_current >= 0) {
        const int lowers = m_model->rowCount(m_model->overlayIndex(m_current));
        m_view->setCurrentIndex(
            lower >= 0 && lower < lowers ? m_model->lowerIndex(m_current, lower) : m_model->overlayIndex(m_current));
    }
    m_checkResult->clear();
    refresh();
}

void StackBuilder::refresh()
{
    refreshForm();
    refreshLive();
    const int lower = currentLower();
    const bool plain = m_current >= 0 && draft().overlays.at(m_current).stackOn.isEmpty();
    const int lowers = m_current >= 0 ? int(draft().lowerDirs(m_current).size()) : 0;
    m_up->setEnabled(plain && lower > 0 && lower < lowers);
    m_down->setEnabled(plain && lower >= 0 && lower + 1 < lowers);
    m_remove->setEnabled(m_current >= 0 && (lower < 0 || plain));
    m_stack->setEnabled(m_current >= 0);
}

void StackBuilder::refreshForm()
{
    const bool has = m_current >= 0;
    const OverlayRequest r = has ? draft().overlays.at(m_current) : OverlayRequest();
    if (!m_folder->hasFocus())
        m_folder->setText(draft().folder);
    for (QWidget *w : {static_cast<QWidget *>(m_name),
             static_cast<QWidget *>(m_mountpoint),
             static_cast<QWidget *>(m_writable),
             static_cast<QWidget *>(m_options)})
        w->setEnabled(has);
    const QSignalBlocker block(m_writable);
    m_name->setText(r.name);
    m_mountpoint->setText(r.mountpoint);
    m_mountpoint->setPlaceholderText(has ? draft().mountpointOf(m_current) : QString());
    m_writable->setChecked(!r.upper.isEmpty());
    m_upper->setText(r.upper);
    m_work->setText(r.work);
    m_upper->setEnabled(!r.upper.isEmpty());
    m_work->setEnabled(!r.upper.isEmpty());
    m_options->setOptions(r.options, !r.upper.isEmpty());
}

void StackBuilder::refreshLive()
{
    auto ws = draft().workspace();
    if (!ws) {
        m_command->setPlainText(tr("# not a stack yet: %1").arg(ws.error().message));
        m_diagram->setPlanes({});
        return;
    }
    QStringList lines;
    for (const OverlaySpec &s : ws->overlays())
        lines << QStringLiteral("# %1").arg(s.name) << MountCommand::shellCommand(s);
    for (const QString &w : ws->warnings())
        lines << QStringLiteral("# note: %1").arg(w);
    m_command->setPlainText(lines.join(QLatin1Char('\n')));
    auto layers = m_current >= 0 ? ws->mergeLayers(m_current) : Result<MergeLayers>(Error {EINVAL, {}});
    m_diagram->setPlanes(
        layers ? ColumnPlan::planes(ColumnPlan::forOverlay(*ws, m_current, *layers)) : QList<StackDiagram::Plane>());
}

QString StackBuilder::mountCommandText() const
{
    return m_command->toPlainText();
}

QString StackBuilder::checkText() const
{
    return m_checkResult->text();
}

void StackBuilder::setFolder(const QString &folder)
{
    StackDraft next = draft();
    next.folder = folder.isEmpty() ? QString() : QDir::cleanPath(QDir(folder).absolutePath());
    change(tr("choose the folder"), next);
}

void StackBuilder::addLowers(int overlay, const QStringList &dirs)
{
    if (overlay < 0 || overlay >= draft().overlays.size() || dirs.isEmpty())
        return;
    StackDraft next = draft();
    OverlayRequest &r = next.overlays[overlay];
    // Lowers added to a stacked overlay: the merged directory becomes its bottom lower.
    if (!r.stackOn.isEmpty()) {
        r.lowers = next.lowerDirs(overlay);
        r.stackOn.clear();
    }
    QStringList added;
    for (const QString &d : dirs)
        added << QDir::cleanPath(QDir(d).absolutePath());
    r.lowers = added + r.lowers;
    change(tr("add %n lower(s)", nullptr, int(dirs.size())), next);
}

bool StackBuilder::addEmptyLower(int overlay, const QString &path)
{
    if (overlay < 0 || path.isEmpty())
        return false;
    if (QFileInfo::exists(path) || !QDir().mkpath(path)) {
        QMessageBox::warning(this, tr("New empty lower"), tr("%1: exists already or cannot be created").arg(path));
        return false;
    }
    addLowers(overlay, {path});
    return true;
}

void StackBuilder::moveLower(int overlay, int from, int to)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    QStringList &lowers = next.overlays[overlay].lowers;
    if (from < 0 || to < 0 || from >= lowers.size() || to >= lowers.size() || from == to)
        return;
    lowers.move(from, to);
    change(tr("move a lower"), next);
    if (m_current == overlay)
        m_view->setCurrentIndex(m_model->lowerIndex(overlay, to));
    refresh();
}

void StackBuilder::removeLower(int overlay, int lower)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    OverlayRequest &r = next.overlays[overlay];
    const qsizetype data = lower - r.lowers.size(); // the data-only layers are listed below the lowers
    if (lower < 0 || data >= r.dataLowers.size())
        return;
    if (data >= 0)
        r.dataLowers.removeAt(data);
    else
        r.lowers.removeAt(lower);
    change(tr("remove a lower"), next);
}

void StackBuilder::setDataOnly(int overlay, int lower, bool dataOnly)
{
    StackDraft next = draft();
    if (!next.setDataOnly(overlay, lower, dataOnly))
        return;
    change(dataOnly ? tr("make a lower data-only") : tr("make a data-only layer a lower"), next);
}

void StackBuilder::removeOverlay(int overlay)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    const QString name = next.overlays.at(overlay).name;
    // What stood on it keeps its merged directory as a plain lower.
    for (int i = 0; i < next.overlays.size(); ++i) {
        if (next.overlays.at(i).stackOn == name) {
            next.overlays[i].lowers = next.lowerDirs(i);
            next.overlays[i].stackOn.clear();
        }
    }
    next.overlays.removeAt(overlay);
    change(tr("remove overlay %1").arg(name), next);
}

void StackBuilder::addOverlay()
{
    StackDraft next = draft();
    OverlayRequest r;
    r.name = next.freeName();
    next.overlays << r;
    m_current = int(next.overlays.size()) - 1;
    change(tr("new overlay %1").arg(r.name), next);
}

void StackBuilder::stackOnTop(int overlay)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    OverlayRequest r;
    r.name = next.freeName();
    r.stackOn = next.overlays.at(overlay).name;
    if (!next.folder.isEmpty()) {
        r.upper = next.folder + QLatin1Char('/') + r.name + QStringLiteral("-upper");
        r.work = next.folder + QLatin1Char('/') + r.name + QStringLiteral("-work");
    }
    next.overlays << r;
    m_current = int(next.overlays.size()) - 1;
    change(tr("stack %1 on %2").arg(r.name, r.stackOn), next);
}

void StackBuilder::setName(int overlay, const QString &name)
{
    if (overlay < 0 || overlay >= draft().overlays.size() || name.isEmpty())
        return;
    StackDraft next = draft();
    const QString old = next.overlays.at(overlay).name;
    next.overlays[overlay].name = name;
    for (OverlayRequest &r : next.overlays) {
        if (r.stackOn == old)
            r.stackOn = name;
    }
    change(tr("rename %1").arg(old), next);
}

void StackBuilder::setMountpoint(int overlay, const QString &dir)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    next.overlays[overlay].mountpoint = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
    change(tr("set the mountpoint"), next);
}

void StackBuilder::setWritable(int overlay, bool writable)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    OverlayRequest &r = next.overlays[overlay];
    const QString base = next.folder.isEmpty() ? QDir::currentPath() : next.folder;
    r.upper = writable ? base + QLatin1Char('/') + r.name + QStringLiteral("-upper") : QString();
    r.work = writable ? base + QLatin1Char('/') + r.name + QStringLiteral("-work") : QString();
    if (!writable)
        r.options = OptionRules::set(r.options, QStringLiteral("volatile"), {}).options;
    change(writable ? tr("make %1 writable").arg(r.name) : tr("make %1 read-only").arg(r.name), next);
}

void StackBuilder::setUpper(int overlay, const QString &dir)
{
    setDirectory(overlay, &OverlayRequest::upper, dir, tr("set the upper directory"));
}

void StackBuilder::setWork(int overlay, const QString &dir)
{
    setDirectory(overlay, &OverlayRequest::work, dir, tr("set the work directory"));
}

void StackBuilder::setDirectory(int overlay, QString OverlayRequest::*member, const QString &dir, const QString &text)
{
    if (overlay < 0 || overlay >= draft().overlays.size() || dir.isEmpty())
        return;
    StackDraft next = draft();
    next.overlays[overlay].*member = QDir::cleanPath(QDir(dir).absolutePath());
    change(text, next);
}

void StackBuilder::setOption(int overlay, const QString &key, const QString &value)
{
    if (overlay < 0 || overlay >= draft().overlays.size())
        return;
    StackDraft next = draft();
    OverlayRequest &r = next.overlays[overlay];
    const OptionRules::Change c = OptionRules::set(r.options, key, value);
    r.options = c.options;
    change(value.isEmpty() ? tr("clear %1").arg(key) : tr("set %1=%2").arg(key, value), next);
    m_note->setText(c.note);
}

void StackBuilder::pickLowers()
{
    if (m_current < 0)
        addOverlay();
    const QString d
        = QFileDialog::getExistingDirectory(this, tr("A lower layer (any directory; never written)"), draft().folder);
    if (!d.isEmpty())
        addLowers(m_current, {d});
}

void StackBuilder::pickEmptyLower()
{
    if (m_current < 0)
        addOverlay();
    const QString base = draft().folder.isEmpty() ? QDir::currentPath() : draft().folder;
    bool ok = false;
    const QString name = QInputDialog::getText(this,
        tr("New empty lower"),
        tr("Name of the new empty directory in %1:").arg(QDir::toNativeSeparators(base)),
        QLineEdit::Normal,
        QStringLiteral("layer_%1").arg(draft().lowerDirs(m_current).size() + 1),
        &ok);
    if (ok && !name.trimmed().isEmpty())
        addEmptyLower(m_current, base + QLatin1Char('/') + name.trimmed());
}

void StackBuilder::startProbe()
{
    m_probe.start(
        this,
        [](ScanControl &) { return std::make_shared<const OptionProbe::Support>(OptionProbe::probe()); },
        [this](const std::shared_ptr<const OptionProbe::Support> &s) {
            OptionProbe::Support shown = *s;
            if (!shown.problem.isEmpty())
                m_note->setText(tr("Could not ask the kernel which options it takes: %1").arg(shown.problem));
            m_options->setSupport(shown);
            m_model->setDataOnlyRefusal(OptionRules::dataOnlyRefusal(shown));
            Q_EMIT probed();
        });
}

void StackBuilder::check()
{
    auto ws = draft().workspace();
    if (!ws) {
        showCheck(std::make_shared<const Result<QVector<StackChecker::Overlay>>>(ws.error()));
        return;
    }
    m_checkButton->setEnabled(false);
    m_checkResult->setText(tr("The kernel is trying each overlay…"));
    const Workspace w = *ws;
    m_check.start(
        this,
        [w](ScanControl &) {
            return std::make_shared<const Result<QVector<StackChecker::Overlay>>>(StackChecker::check(w));
        },
        [this](const CheckResult &r) { showCheck(r); });
}

void StackBuilder::showCheck(const CheckResult &result)
{
    m_checkButton->setEnabled(true);
    if (!*result) {
        m_checkResult->setText(tr("✘ cannot check: %1").arg(html(result->error().message)));
        Q_EMIT checked();
        return;
    }
    QStringList parts;
    for (const StackChecker::Overlay &o : result->value()) {
        QString p;
        if (!o.tried)
            p = tr("⋯ <b>%1</b>: not tried (%2)").arg(html(o.name), html(o.explanation));
        else if (o.accepted)
            p = tr("✔ <b>%1</b>: accepted by the kernel").arg(html(o.name));
        else
            p = tr("✘ <b>%1</b>: refused by the kernel at %2: %3")
                    .arg(html(o.name), html(o.step), html(QString::fromLocal8Bit(std::strerror(o.error))));
        for (const QString &m : o.kernelMessages)
            p += tr("<br>&nbsp;&nbsp;kernel: <i>%1</i>").arg(html(m));
        if (o.tried && !o.explanation.isEmpty())
            p += tr("<br>&nbsp;&nbsp;why: %1").arg(html(o.explanation));
        parts << p;
    }
    m_checkResult->setText(parts.join(QStringLiteral("<br>")));
    Q_EMIT checked();
}

Result<Workspace> StackBuilder::save()
{
    QStringList created;
    auto ws = draft().save(&created);
    if (ws) {
        m_saved = ws->filePath();
        Q_EMIT saved(m_saved);
    }
    return ws;
}

void StackBuilder::saveClicked()
{
    if (draft().folder.isEmpty()) {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Where should stratascope.json go?"));
        if (d.isEmpty())
            return;
        setFolder(d);
    }
    auto ws = save();
    if (!ws) {
        QMessageBox::warning(this, tr("Cannot save the stack"), ws.error().message);
        return;
    }
    accept();
}

} // namespace strata
