// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>

namespace strata::fuzz
{

/// A small directory tree written from a fuzzer's bytes, for parsers that read a store from
/// disk (a Docker root). The input is a list of sections, each starting on a line of its own:
///
///   @@ image/overlay2/repositories.json      a file; the lines up to the next section are its content
///   @@> overlay2/l/ABC                       a symlink; the next line is its target
///   @@/ overlay2/abc/diff                    a directory
///
/// Paths are relative to the tree's root ("..", "." and empty names are dropped), nothing is
/// ever created through a symlink, and a link whose target would leave the tree is skipped:
/// whatever the bytes say, everything stays inside `root`.
class InputTree final
{
public:
    /// Creates `root` (which must not exist) and the tree in it; false when `root` cannot be made.
    [[nodiscard]] static bool build(const QByteArray &input, const QByteArray &root);
    /// Removes `root` and everything below it, without following symlinks.
    static void remove(const QByteArray &root);

private:
    static void addSection(const QByteArray &root, const QByteArray &section);
};

} // namespace strata::fuzz
