// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/merge/mergeoptions.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace strata
{

/// The mount options of one overlay, as written in the workspace file. An empty value means
/// "not given": the kernel's (distribution's) default applies, which is why the built-in
/// scenarios spell them out.
class OverlayOptions final
{
public:
    QString redirectDir; ///< on | follow | nofollow | off
    QString index; ///< on | off
    QString metacopy; ///< on | off
    QString xino; ///< on | off | auto
    QString uuid; ///< on | off | auto | null
    QString nfsExport; ///< on | off
    bool userxattr = false;
    bool volatileMount = false;

    /// `keyPath` names the object in messages, e.g. "overlays[0].options".
    [[nodiscard]] static Result<OverlayOptions> fromJson(const QJsonValue &value, const QString &keyPath);
    [[nodiscard]] QJsonObject toJson() const;

    /// Options in the kernel's syntax, in a stable order: "redirect_dir=off", "userxattr", ...
    [[nodiscard]] QStringList mountOptionList() const;

    /// What lookup needs to know. redirect_dir=off follows redirects only when the module's
    /// redirect_always_follow is set (read from /sys/module/overlay/parameters).
    [[nodiscard]] MergeOptions mergeOptions() const;

    [[nodiscard]] static bool moduleRedirectAlwaysFollow();
};

} // namespace strata
