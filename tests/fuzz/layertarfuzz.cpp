// SPDX-License-Identifier: GPL-2.0-or-later
// A layer tar straight from bytes (what a docker save, an OCI layout or a registry carries, in
// any compression): read through libarchive into the tree the merge reads, or refused with a
// reason; then merged on its own as a one-layer image, the way `strata image tree --layer` shows it;
// and extracted as `strata image extract` does (as a user: no device nodes, no owners), nothing
// written beside the layer's directory.
#include "tests/fuzz/fuzztargets.h"

#include "core/layer/bytestream.h"
#include "core/layer/layerextractor.h"
#include "core/layer/tarlayersource.h"
#include "core/merge/mergedtree.h"

#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fcntl.h>
#include <memory>

namespace strata::fuzz
{

namespace
{
class BytesStream final : public ByteStream
{
public:
    explicit BytesStream(QByteArray data) : m_data(std::move(data)) { }
    qint64 read(char *data, qint64 max) override
    {
        const qint64 n = std::min<qint64>(max, m_data.size() - m_pos);
        std::memcpy(data, m_data.constData() + m_pos, static_cast<size_t>(n));
        m_pos += n;
        return n;
    }
    [[nodiscard]] QString errorString() const override { return {}; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};
void extract(const QByteArray &input)
{
    QTemporaryDir tmp;
    require(tmp.isValid() && QDir(tmp.path()).mkdir(QStringLiteral("layer")), "a scratch directory");
    const int fd = ::open(
        QString(tmp.path() + QStringLiteral("/layer")).toUtf8().constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    require(fd >= 0, "the layer's directory opens");
    std::atomic<std::int64_t> budget {64 * 1024 * 1024};
    LayerExtractor x(fd, LayerExtractor::Options {XattrNamespace::User, false, &budget, false});
    BytesStream in(input);
    const Status st = x.extract(in);
    require(st.ok() || !st.error().message.isEmpty(), "a failed extraction says why");
    for (const QString &r : x.summary().refused)
        require(r.startsWith(QStringLiteral("entry \"")) || r.startsWith(QStringLiteral("…")),
            "a refusal names its member");
    require(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)
            == QStringList {QStringLiteral("layer")},
        "nothing is written beside the layer");
}

} // namespace

void layerTar(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input = bytes(data, size);
    extract(input);
    auto source = std::make_shared<TarLayerSource>(
        QStringLiteral("fuzz.tar"),
        [input]() -> Result<std::unique_ptr<ByteStream>> {
            return std::unique_ptr<ByteStream>(new BytesStream(input));
        },
        TarLayerSource::Expected {});
    auto read = source->read(nullptr);
    if (!read) {
        require(!read.error().message.isEmpty(), "a refused layer says why");
        return;
    }
    require(read->layer != nullptr, "a layer that was read has a tree");
    MergeLayer layer;
    layer.path = QStringLiteral("fuzz.tar");
    layer.name = QStringLiteral("fuzz.tar");
    layer.source = source;
    auto tree = MergedTree::build({layer});
    if (!tree) {
        require(!tree.error().message.isEmpty(), "a refused merge says why");
        return;
    }
    require(tree->nodeCount() >= 1, "a merged tree has its root");
    require(tree->visibleCount() <= tree->nodeCount(), "what is visible is in the tree");
}

} // namespace strata::fuzz
