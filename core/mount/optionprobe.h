// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/session/backend.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace strata
{

/// Which overlay options the running kernel accepts, asked of the kernel itself: in a child
/// process, in a throwaway private mount namespace (a user namespace too for a normal user),
/// fsopen("overlay") and one fsconfig() per option and value of OptionCatalog, and a real
/// create for the pairs the builder's rules are about. Nothing stays mounted. Blocking: run it
/// off the GUI thread. The answers are cached per kernel release.
class OptionProbe final
{
public:
    struct Answer {
        QString option; ///< "redirect_dir=nofollow", "userxattr", or a pair "userxattr,metacopy=on"
        bool accepted = true;
        int error = 0;
        QString reason; ///< for a refusal: the kernel's words, and plain ones
    };
    /// What one probe learnt. Options it did not ask about count as accepted.
    struct Support {
        QString kernelRelease;
        QString problem; ///< the probe could not ask the kernel: why (every answer is then missing)
        QList<Answer> answers;

        [[nodiscard]] const Answer *find(const QString &option) const;
        /// Why the kernel refuses `option` ("KEY", "KEY=VALUE" or a pair); empty when it accepts it.
        [[nodiscard]] QString refusal(const QString &option) const;
    };

    /// The option pairs tried with a real create: each is refused by some kernels.
    [[nodiscard]] static QList<QStringList> pairs();
    [[nodiscard]] static Support probe(Backend backend = Backend::Auto);
    /// uname -r.
    [[nodiscard]] static QString kernelRelease();
};

} // namespace strata
