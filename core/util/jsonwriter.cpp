// SPDX-License-Identifier: GPL-2.0-or-later
#include "jsonwriter.h"

#include "core/util/filename.h"

#include <QtGlobal>

#include <cmath>

namespace strata
{

JsonWriter JsonWriter::continued(std::string &out, bool more) const
{
    JsonWriter w = *this;
    w.m_out = &out;
    if (more && w.m_depth > 0)
        w.m_levels[static_cast<std::size_t>(w.m_depth - 1)].empty = false;
    return w;
}

JsonWriter JsonWriter::fragment(std::string &out)
{
    JsonWriter w(out);
    w.m_depth = 1;
    return w;
}

JsonWriter &JsonWriter::value(const QString &text)
{
    const QByteArray utf8 = encodeFileName(text); // escaped bytes become U+FFFD, as raw ones do
    return value(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
}

JsonWriter &JsonWriter::value(double d)
{
    if (!std::isfinite(d))
        return null();
    separate();
    std::array<char, 32> digits {};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), d).ptr;
    m_out->append(digits.data(), static_cast<std::size_t>(end - digits.data()));
    return *this;
}

JsonWriter &JsonWriter::value(const QStringList &texts)
{
    beginArray();
    for (const QString &t : texts)
        value(t);
    return endArray();
}

JsonWriter &JsonWriter::path(std::string_view name, std::string_view bytes)
{
    key(name).value(bytes);
    if (!isValidUtf8(bytes)) {
        std::string companion(name);
        companion += "_base64";
        key(companion).value(base64(bytes));
    }
    return *this;
}

JsonWriter &JsonWriter::path(std::string_view name, const QString &fileName)
{
    return path(name, encodeFileName(fileName));
}

JsonWriter &JsonWriter::pathOrNull(std::string_view name, const QString &fileName)
{
    if (fileName.isEmpty())
        return key(name).null();
    return path(name, fileName);
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    separate();
    *m_out += '"';
    *m_out += name;
    *m_out += m_style == Style::Indented ? "\": " : "\":";
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::open(char bracket, Layout layout)
{
    separate();
    *m_out += bracket;
    Q_ASSERT(m_depth < MaxDepth);
    m_levels[static_cast<std::size_t>(m_depth)] = Level {layout, true};
    ++m_depth;
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    Q_ASSERT(m_depth > 0);
    const Level l = m_levels[static_cast<std::size_t>(m_depth - 1)];
    --m_depth;
    // QJsonDocument's indented form puts even an empty array's bracket on a line of its own.
    if (m_style == Style::Indented || (l.layout == Layout::Lines && !l.empty))
        newline(m_depth);
    *m_out += bracket;
    return *this;
}

void JsonWriter::newline(int depth)
{
    *m_out += '\n';
    if (m_style == Style::Indented)
        m_out->append(static_cast<std::size_t>(depth) * 4, ' ');
}

} // namespace strata
