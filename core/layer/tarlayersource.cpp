// SPDX-License-Identifier: GPL-2.0-or-later
#include "tarlayersource.h"

#include "core/layer/bytestream.h"
#include "core/layer/tarlayer.h"

#include <cerrno>

namespace strata
{

TarLayerSource::TarLayerSource(QString name, Opener opener, Expected expected)
    : m_name(std::move(name)), m_opener(std::move(opener)), m_expected(std::move(expected))
{
}

QStringList TarLayerSource::check(const TarReader::Info &info, const Expected &expected)
{
    QStringList problems;
    if (!info.complete)
        return problems; // a digest of part of the stream says nothing
    if (!expected.digest.isEmpty() && info.digest != expected.digest)
        problems << QStringLiteral("blob digest mismatch: the manifest says %1, the blob is %2")
                        .arg(expected.digest, info.digest);
    if (expected.size >= 0 && info.storedSize != expected.size)
        problems << QStringLiteral("blob size mismatch: the manifest says %1 bytes, the blob has %2")
                        .arg(expected.size)
                        .arg(info.storedSize);
    if (!expected.diffId.isEmpty() && info.diffId != expected.diffId)
        problems << QStringLiteral("diff ID mismatch: the config says %1, the uncompressed layer is %2")
                        .arg(expected.diffId, info.diffId);
    return problems;
}

Status TarLayerSource::stream(const TarReader::Visitor &visit, TarReader::Info &info, ScanControl *control) const
{
    auto in = m_opener();
    if (!in)
        return in.error();
    return TarReader::read(**in, visit, info, control);
}

Status TarLayerSource::streamWithData(
    const TarReader::DataVisitor &visit, TarReader::Info &info, ScanControl *control) const
{
    auto in = m_opener();
    if (!in)
        return in.error();
    return TarReader::readWithData(**in, visit, info, control);
}

Result<TarLayerSource::Read> TarLayerSource::read(ScanControl *control, const FileVisitor &files) const
{
    auto stream = m_opener();
    if (!stream)
        return stream.error();
    TarLayer::Builder builder;
    Read out;
    const Status status = files ? TarReader::readWithData(
                              **stream,
                              [&builder, &files](const TarEntry &e, TarReader::Data &data) {
                                  builder.add(e);
                                  files(e, data);
                                  return true;
                              },
                              out.info,
                              control)
                                : TarReader::read(
                                    **stream,
                                    [&builder](const TarEntry &e) {
                                        builder.add(e);
                                        return true;
                                    },
                                    out.info,
                                    control);
    if (!status && status.error().code == ECANCELED)
        return status.error();
    out.layer = builder.finish();
    // A damaged tar still shows what could be read; the warning says it is not all.
    if (!status)
        out.warnings << m_name + QStringLiteral(": ") + status.error().message;
    for (const QString &p : out.layer->problems())
        out.warnings << m_name + QStringLiteral(": ") + p;
    for (const QString &p : check(out.info, m_expected))
        out.warnings << m_name + QStringLiteral(": ") + p;
    return out;
}

Result<LayerSource::Loaded> TarLayerSource::load(ScanControl *control) const
{
    return loadWithData(control, {});
}

Result<LayerSource::Loaded> TarLayerSource::loadWithData(ScanControl *control, const FileVisitor &files) const
{
    auto r = read(control, files);
    if (!r)
        return r.error();
    return Loaded {r->layer->dir(TarLayer::root()), std::move(r->warnings)};
}

} // namespace strata
