#include "core/atomicfile.h"

#include <QFile>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kaodian {

Status<QString> writeFileAtomically(const QString &path, const QByteArray &bytes, mode_t mode)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temporary = target + ".tmp-" + QByteArray::number(static_cast<qint64>(::getpid()));
    ::unlink(temporary.constData());
    const int fd = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return QStringLiteral("无法写入 %1：%2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
    bool ok = ::fchmod(fd, mode) == 0; // whatever the umask
    qsizetype written = 0;
    while (ok && written < bytes.size()) {
        const ssize_t n
            = ::write(fd, bytes.constData() + written, static_cast<size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        written += ok ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const int savedErrno = errno;
    ::close(fd);
    if (!ok || ::rename(temporary.constData(), target.constData()) != 0) {
        const int err = ok ? errno : savedErrno;
        ::unlink(temporary.constData());
        return QStringLiteral("无法写入 %1：%2").arg(path, QString::fromLocal8Bit(std::strerror(err)));
    }
    return {};
}

} // namespace kaodian
