// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <span>

/// The bodies of the libFuzzer targets (tests/fuzz/run.sh), one per parser: each takes any
/// bytes, parses them and checks what must hold of every result. tst_fuzzcorpus replays the
/// committed corpus and the crash regressions through the same functions in the normal build.
namespace strata::fuzz
{

using Body = void (*)(const std::uint8_t *data, std::size_t size);

struct Target {
    const char *name; ///< the corpus folder: tests/fuzz/corpus/<name>
    Body run;
};

/// Every target.
[[nodiscard]] std::span<const Target> targets();

void workspace(const std::uint8_t *data, std::size_t size);
void lesson(const std::uint8_t *data, std::size_t size);
void dockerJson(const std::uint8_t *data, std::size_t size);
void dockerRoot(const std::uint8_t *data, std::size_t size);
void mountInfo(const std::uint8_t *data, std::size_t size);
void mergedOperation(const std::uint8_t *data, std::size_t size);
void jsonWriter(const std::uint8_t *data, std::size_t size);
void layerTar(const std::uint8_t *data, std::size_t size);
void imageArchive(const std::uint8_t *data, std::size_t size);
void bolt(const std::uint8_t *data, std::size_t size);

/// Aborts (libFuzzer saves the input; QtTest names the row) when an invariant does not hold.
void require(bool ok, const char *what);
/// Qt's warnings about bad input are expected: off stderr, so the fuzzer's output stays readable.
void quietQt();
[[nodiscard]] inline QByteArray bytes(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace strata::fuzz
