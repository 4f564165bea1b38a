// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/merge/mergeoptions.h"
#include "core/util/result.h"
#include "ui/images/layersmodel.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QComboBox;
class QDockWidget;
class QLabel;
class QMainWindow;
class QPushButton;
class QTreeView;
class QVBoxLayout;

namespace strata
{

class ArchiveStore;

/// An image archive looked at in place, read-only (File → Open Image…, a drop, `stratascope
/// ARCHIVE`): the image's layers top first, each with the instruction that made it (shortened;
/// whole in its tooltip and below the table for the selected layer) and its size, the problems
/// met while reading, a choice of image when the archive holds several, and "Extract as
/// Stack…", the way to an editable stack. The merged view it asks for (openLayers) is the
/// stage's read-only one, with provenance and whiteouts; the layers stay inside the archive, so
/// nothing here can be edited or mounted.
class ArchivePanel final : public QWidget
{
    Q_OBJECT
public:
    explicit ArchivePanel(QWidget *parent = nullptr);
    /// A panel in a dock at the bottom of `window`, hidden until an image is shown.
    [[nodiscard]] static ArchivePanel *docked(QMainWindow *window);

    /// Shows image `image` of `store` (its dock too) and asks for its merged view.
    void showImage(std::shared_ptr<const ArchiveStore> store, qsizetype image);
    /// Hides the dock (the image was extracted: the stage shows the stack now).
    void hideDock();
    [[nodiscard]] const std::shared_ptr<const ArchiveStore> &store() const { return m_store; }
    [[nodiscard]] qsizetype image() const { return m_image; }
    /// The archive's path (empty before the first image).
    [[nodiscard]] QString archive() const;

    /// Asks for the merged view of the whole image, or of the layer in `row` alone (its
    /// whiteouts and opaque directories as they are); false when there is none.
    bool openMerged();
    bool openLayerRow(int row);
    void selectLayerRow(int row);

    [[nodiscard]] LayersModel *layersModel() { return &m_layers; }
    [[nodiscard]] QTreeView *layersView() const { return m_layersView; }
    [[nodiscard]] QComboBox *imageChoice() const { return m_imageChoice; }
    [[nodiscard]] QPushButton *extractButton() const { return m_extract; }
    /// The whole instruction of the selected layer, as the image's history stores it.
    [[nodiscard]] QString instructionText() const;
    [[nodiscard]] QString readOnlyText() const;
    [[nodiscard]] QString titleText() const;

Q_SIGNALS:
    /// A merged view to show, read-only: `layers` top first.
    void openLayers(const strata::MergeLayers &layers, const QString &title, const strata::MergeOptions &options);
    /// "Extract as Stack…" was pressed.
    void extractRequested();

private:
    void buildUi();
    void buildTitle(QVBoxLayout *layout);
    void showDock();
    void showInstruction(int row);
    void showProblems();
    /// Asks for the merged view of `layers`, or says why not.
    bool openStack(const Result<MergeLayers> &layers, const QString &title);

    std::shared_ptr<const ArchiveStore> m_store;
    qsizetype m_image = -1;
    LayersModel m_layers;
    QPointer<QDockWidget> m_partner; // the dock it is a tab of
    int m_partnerHeight = -1; // the partner's, before this one was shown

    QComboBox *m_imageChoice = nullptr;
    QLabel *m_title = nullptr;
    QPushButton *m_merged = nullptr;
    QPushButton *m_extract = nullptr;
    QLabel *m_readOnly = nullptr;
    QLabel *m_problems = nullptr;
    QTreeView *m_layersView = nullptr;
    QLabel *m_instruction = nullptr;
};

} // namespace strata
