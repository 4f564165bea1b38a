// SPDX-License-Identifier: GPL-2.0-or-later
#include "core/analysis/contenthasher.h"

#include "core/analysis/finaltree.h"
#include "core/image/storelayer.h"
#include "core/layer/tarlayersource.h"
#include "core/util/filename.h"
#include "core/util/scancontrol.h"

#include <QCryptographicHash>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace strata
{

namespace
{

// Feeds zeros for a hole, in pieces.
void addZeros(QCryptographicHash &h, std::int64_t count)
{
    static const QByteArray zeros(64 * 1024, '\0');
    while (count > 0) {
        const auto n = std::min<std::int64_t>(count, zeros.size());
        h.addData(QByteArrayView(zeros.constData(), qsizetype(n)));
        count -= n;
    }
}

Result<QByteArray> hashFile(const QByteArray &path)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(errno, decodeFileName(path));
    QCryptographicHash h(QCryptographicHash::Sha256);
    std::vector<char> buffer(256 * 1024);
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return Error::fromErrno(e, decodeFileName(path));
        }
        if (n == 0)
            break;
        h.addData(QByteArrayView(buffer.data(), n));
    }
    ::close(fd);
    return h.result();
}

Result<QHash<QByteArray, QByteArray>> hashTar(
    const TarLayerSource &tar, const QSet<QByteArray> &members, ScanControl *control)
{
    QHash<QByteArray, QByteArray> out;
    QString failure;
    TarReader::Info info;
    const Status s = tar.streamWithData(
        [&](const TarEntry &e, TarReader::Data &data) {
            const QByteArray name = FinalTree::normalise(e.path);
            if (e.hardlink || !members.contains(name))
                return true;
            QCryptographicHash h(QCryptographicHash::Sha256);
            std::int64_t at = 0;
            TarReader::Data::Block block;
            while (data.next(block)) {
                addZeros(h, block.offset - at);
                h.addData(QByteArrayView(block.bytes, qsizetype(block.size)));
                at = block.offset + std::int64_t(block.size);
            }
            if (!data.error().isEmpty()) {
                failure = data.error();
                return false;
            }
            addZeros(h, e.size - at);
            out.insert(name, h.result());
            return out.size() < members.size();
        },
        info,
        control);
    if (!failure.isEmpty())
        return Error {EIO, failure};
    if (!s && out.size() < members.size())
        return s.error();
    return out;
}

} // namespace

Result<QHash<QByteArray, QByteArray>> ContentHasher::hash(
    const StoreLayer &layer, const QSet<QByteArray> &members, ScanControl *control)
{
    if (const auto *tar = dynamic_cast<const TarLayerSource *>(layer.source.get()))
        return hashTar(*tar, members, control);
    if (layer.source && layer.source->directory().isEmpty())
        return Error {EINVAL, QStringLiteral("%1: a layer source that is no tar").arg(layer.name)};
    QHash<QByteArray, QByteArray> out;
    const QByteArray dir = encodeFileName(layer.diffDir) + '/';
    for (const QByteArray &m : members) {
        if (control && control->isCancelled())
            return Error {ECANCELED, QStringLiteral("cancelled")};
        auto h = hashFile(dir + m);
        if (!h)
            return h.error();
        out.insert(m, *h);
    }
    return out;
}

} // namespace strata
