// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergelayer.h"
#include "core/stack/overlayspec.h"
#include "core/util/result.h"
#include "core/util/status.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace strata
{

/// A workspace: one or more overlays in mount order, described by a JSON file
/// (stratascope.json, format in docs/workspace-format.md). An overlay's lower may be another
/// overlay's mountpoint: a multi-level stack. Paths are file names as decodeFileName() makes
/// them (core/util/filename.h): a directory whose name is not UTF-8 is kept exactly (the file
/// holds it in "<key>_base64").
class Workspace final
{
public:
    static constexpr int FormatVersion = 1;
    static inline const QString DefaultFileName = QStringLiteral("stratascope.json");

    /// Loads a workspace file, or the stratascope.json inside a directory.
    [[nodiscard]] static Result<Workspace> load(const QString &path);
    /// Parses workspace JSON; relative paths are resolved against `baseDir`. `source` names the
    /// file in messages.
    [[nodiscard]] static Result<Workspace> fromJson(
        const QByteArray &json, const QString &baseDir, const QString &source);

    [[nodiscard]] QByteArray toJson() const;
    /// Writes atomically (temporary file + rename): a failed save never loses the old file.
    [[nodiscard]] Status save(const QString &filePath);

    [[nodiscard]] const QString &filePath() const { return m_filePath; }
    [[nodiscard]] const QString &baseDir() const { return m_baseDir; }
    void setBaseDir(const QString &dir) { m_baseDir = dir; }
    [[nodiscard]] const QList<OverlaySpec> &overlays() const { return m_overlays; }
    void addOverlay(const OverlaySpec &spec) { m_overlays.append(spec); }
    [[nodiscard]] int indexOf(const QString &overlayName) const;
    /// The overlay a command names (the first when `overlayName` is empty), or an error
    /// that lists the names there are.
    [[nodiscard]] Result<int> overlayIndex(const QString &overlayName) const;
    /// Non-fatal findings: shared upper/work directories, read-only overlays with one lower...
    [[nodiscard]] const QStringList &warnings() const { return m_warnings; }

    /// The layers whose merge is the overlay's view, top first. A lower that is another
    /// overlay's mountpoint is replaced by that overlay's own layers, so the view can be
    /// computed from disk without any mount. Data-only layers come last, marked `dataOnly`.
    [[nodiscard]] Result<MergeLayers> mergeLayers(int overlayIndex) const;

    /// The overlays stacked on `overlayIndex`, directly or through others (its mountpoint is
    /// among their lowers), in mount order: an edit there shows through in their merged views.
    [[nodiscard]] QList<int> dependents(int overlayIndex) const;
    /// The overlays whose mountpoint `overlayIndex` uses as a lower: the ones it stands on.
    [[nodiscard]] QStringList stackedOn(int overlayIndex) const;
    /// How many overlays deep `overlayIndex` is: 1 on plain directories, 2 on another
    /// overlay, and so on. The kernel mounts at most 2 (FILESYSTEM_MAX_STACK_DEPTH).
    [[nodiscard]] int stackingDepth(int overlayIndex) const;
    /// What a mount of `overlayIndex` mounts: the overlays it stands on, directly or through
    /// others, in mount order, then itself.
    [[nodiscard]] QList<int> mountedWith(int overlayIndex) const;
    static constexpr int MaxStackingDepth = 2;

    /// A path as people should read it: relative to the workspace when inside it.
    [[nodiscard]] QString displayPath(const QString &absolutePath) const;
    [[nodiscard]] QString absolutePath(const QString &path) const;

private:
    Result<MergeLayers> mergeLayers(int overlayIndex, int depth) const;
    /// One entry of "overlays" (`where` is "overlays[N]"); `names` are those taken before it.
    Result<OverlaySpec> overlayFromJson(
        const QJsonValue &value, const QString &where, const QString &source, QSet<QString> &names);
    /// `base64`: the entries are "lower_base64"'s, the exact bytes of each path.
    Result<QStringList> lowersFromJson(
        const QJsonValue &lower, bool base64, const QString &lowerKey, const QString &source) const;
    /// "data_lowers" of one overlay, into `spec` (whose lowers are known): optional.
    Status dataLowersFromJson(
        const QJsonObject &o, const QString &where, const QString &source, OverlaySpec &spec) const;
    /// `paths` under `key` (as the file shows them), and "<key>_base64" when one is not UTF-8.
    void insertPaths(QJsonObject &o, const QString &key, const QStringList &paths) const;
    /// "upper" and "work" of one overlay, into `spec` (whose lowers are known).
    Status upperFromJson(const QJsonObject &o, const QString &where, const QString &source, OverlaySpec &spec);
    /// No directory twice among an overlay's lowers, nor as a lower and its upper or work.
    static Status checkDistinctLayers(
        const OverlaySpec &spec, const QString &where, const QString &lowerKey, const QString &source);
    /// No two overlays on one mountpoint.
    Status checkMountpoints(const QString &source) const;
    void checkSharing();

    QString m_filePath;
    QString m_baseDir;
    QList<OverlaySpec> m_overlays;
    QStringList m_warnings;
};

} // namespace strata
