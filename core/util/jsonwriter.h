// SPDX-License-Identifier: GPL-2.0-or-later
#pragma once

#include "core/util/jsonstring.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata
{

/// The one JSON writer of the command line and of `strata tree`: streams objects, arrays,
/// strings, numbers, bools and null into a std::string that the caller flushes when it likes
/// (the writer keeps only its nesting, so the buffer may be written out and cleared at any
/// time). Commas, and the line breaks and indentation of the layout, come by themselves.
///
/// Keys are plain ASCII names ("layer_index"), written as they are. Strings are UTF-8; bytes
/// that are not become U+FFFD, and path() adds a "<key>_base64" member with the exact bytes
/// (a QString path holds such bytes as decodeFileName() escapes, core/util/filename.h).
class JsonWriter final
{
public:
    enum class Style : unsigned char {
        Compact, ///< no spaces, no line breaks (except in Lines arrays)
        Indented, ///< four spaces per level, "key": value, like QJsonDocument::Indented
    };
    /// How a compact array places its elements: all on one line, or one per line (long
    /// streamed lists: a tree's entries, a search's matches), `[\n{..},\n{..}\n]`.
    enum class Layout : unsigned char { Inline, Lines };

    explicit JsonWriter(std::string &out, Style style = Style::Compact) : m_out(&out), m_style(style) { }

    /// A writer for a later part of the same document, in another buffer (a chunk formatted
    /// on another thread, or the closing brackets): it continues inside the arrays and objects
    /// open here, after `more` elements written elsewhere (false: right after this one's).
    [[nodiscard]] JsonWriter continued(std::string &out, bool more) const;
    /// A writer for the members of an object whose braces are written by someone else (a
    /// fragment spliced in with members()).
    [[nodiscard]] static JsonWriter fragment(std::string &out);

    JsonWriter &beginObject() { return open('{', Layout::Inline); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray(Layout layout = Layout::Inline) { return open('[', layout); }
    JsonWriter &endArray() { return close(']'); }

    /// The name of the next member: an ASCII name without quotes or backslashes.
    template<std::size_t N>
    JsonWriter &key(const char (&name)[N])
    {
        // The common case (a compact object, a literal name) in one append of a known size:
        // `strata tree` writes a dozen keys per entry, half a million entries.
        constexpr std::size_t length = N - 1;
        if (m_style != Style::Compact || m_depth == 0)
            return key(std::string_view(name, length));
        Level &l = m_levels[static_cast<std::size_t>(m_depth - 1)];
        std::array<char, length + 4> buf {};
        std::size_t n = 0;
        if (!l.empty)
            buf[n++] = ',';
        l.empty = false;
        buf[n++] = '"';
        std::char_traits<char>::copy(buf.data() + n, name, length);
        n += length;
        buf[n++] = '"';
        buf[n++] = ':';
        m_out->append(buf.data(), n);
        m_afterKey = true;
        return *this;
    }
    JsonWriter &key(std::string_view name);

    JsonWriter &value(std::string_view utf8)
    {
        separate();
        appendJsonString(*m_out, utf8);
        return *this;
    }
    JsonWriter &value(const char *utf8) { return value(std::string_view(utf8)); }
    JsonWriter &value(const QString &text);
    JsonWriter &value(const QStringList &texts);
    JsonWriter &value(bool b)
    {
        separate();
        *m_out += b ? "true" : "false";
        return *this;
    }
    template<std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) JsonWriter &value(T n)
    {
        separate();
        std::array<char, 24> digits {};
        const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
        m_out->append(digits.data(), static_cast<std::size_t>(end - digits.data()));
        return *this;
    }
    /// The shortest form that reads back as the same double; null when it is not finite.
    JsonWriter &value(double d);
    JsonWriter &null()
    {
        separate();
        *m_out += "null";
        return *this;
    }
    /// `text`, or null when it is empty.
    JsonWriter &valueOrNull(const QString &text) { return text.isEmpty() ? null() : value(text); }
    /// `n`, or null when it is negative (unknown).
    JsonWriter &countOrNull(qint64 n) { return n < 0 ? null() : value(n); }

    template<std::size_t N, typename T>
    JsonWriter &field(const char (&name)[N], const T &v)
    {
        return key(name).value(v);
    }
    template<std::size_t N>
    JsonWriter &field(const char (&name)[N], const char *v)
    {
        return key(name).value(v);
    }
    template<std::size_t N>
    JsonWriter &fieldOrNull(const char (&name)[N], const QString &text)
    {
        return key(name).valueOrNull(text);
    }

    /// Bytes that name a file: "<name>": the bytes as UTF-8 (U+FFFD where they are not), and
    /// only when they are not valid UTF-8, "<name>_base64": the exact bytes.
    JsonWriter &path(std::string_view name, std::string_view bytes);
    JsonWriter &path(std::string_view name, const QByteArray &bytes)
    {
        return path(name, std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    }
    /// A file name made by decodeFileName(): its bytes, as path() above.
    JsonWriter &path(std::string_view name, const QString &fileName);
    /// path(), or null (and no companion) when `fileName` is empty.
    JsonWriter &pathOrNull(std::string_view name, const QString &fileName);

    /// A value rendered before (a quoted, escaped string written once and used many times).
    JsonWriter &rendered(std::string_view json)
    {
        separate();
        *m_out += json;
        return *this;
    }
    /// Members rendered before by a fragment() writer, spliced into the open object.
    JsonWriter &members(std::string_view rendered)
    {
        separate();
        *m_out += rendered;
        return *this;
    }

private:
    static constexpr int MaxDepth = 32;
    struct Level {
        Layout layout = Layout::Inline;
        bool empty = true;
    };

    JsonWriter &open(char bracket, Layout layout);
    JsonWriter &close(char bracket);
    void newline(int depth);

    /// What goes before a value or a key: nothing after a key, else a comma after a sibling,
    /// and the line break of the layout.
    void separate()
    {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (m_depth == 0)
            return;
        Level &l = m_levels[static_cast<std::size_t>(m_depth - 1)];
        if (!l.empty)
            *m_out += ',';
        l.empty = false;
        if (m_style == Style::Indented || l.layout == Layout::Lines)
            newline(m_depth);
    }

    std::string *m_out;
    Style m_style;
    int m_depth = 0;
    bool m_afterKey = false;
    std::array<Level, MaxDepth> m_levels {};
};

} // namespace strata
