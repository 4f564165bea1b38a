// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include <string>

namespace strata
{

class ImageStore;
class JsonWriter;
struct ImageAnalysis;

/// The JSON of an analysis, as `strata … analyze --json` writes it (docs/analysis.md): the
/// CLI and the window's Export write the same bytes.
class AnalysisJson final
{
public:
    /// Begins the report's object and writes every field but `ci`; the caller ends it.
    static void write(JsonWriter &w, const ImageStore &store, const ImageAnalysis &a, bool withChanges);
    /// The whole report without CI rules, indented, with its final newline.
    [[nodiscard]] static std::string document(const ImageStore &store, const ImageAnalysis &a, bool withChanges);
};

} // namespace strata
