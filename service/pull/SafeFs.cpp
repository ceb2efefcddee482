#include "pull/SafeFs.h"

#include <QByteArray>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace airlock {

Fd::~Fd() {
    if (m_fd >= 0)
        ::close(m_fd);
}

Fd &Fd::operator=(Fd &&other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.release();
    }
    return *this;
}

int Fd::release() {
    const int fd = m_fd;
    m_fd = -1;
    return fd;
}

namespace safefs {

namespace {

constexpr mode_t kDirMode = 0750;
constexpr mode_t kFileMode = 0640;

QString why(const QString &what, const QString &name) {
    return QStringLiteral("%1 %2: %3").arg(what, name, QString::fromLocal8Bit(std::strerror(errno)));
}

} // namespace

Fd openRoot(const QString &path, QString *error) {
    if (!QDir().mkpath(path)) {
        *error = QStringLiteral("cannot create the pull folder %1").arg(path);
        return Fd();
    }
    Fd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.isValid())
        *error = why(QStringLiteral("cannot open the pull folder"), path);
    return fd;
}

Fd openDir(int dir, QStringView rel, bool create, QString *error) {
    Fd current(::fcntl(dir, F_DUPFD_CLOEXEC, 0));
    if (!current.isValid()) {
        *error = why(QStringLiteral("cannot open folder"), QStringLiteral("."));
        return Fd();
    }
    for (const QStringView segment : rel.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        const QByteArray name = segment.toUtf8();
        if (name == "." || name == "..") {
            *error = QStringLiteral("unsafe folder name %1").arg(segment);
            return Fd();
        }
        bool made = false;
        if (create) {
            made = ::mkdirat(current.get(), name.constData(), kDirMode) == 0;
            if (!made && errno != EEXIST) {
                *error = why(QStringLiteral("cannot create folder"), segment.toString());
                return Fd();
            }
        }
        Fd next(::openat(current.get(), name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.isValid()) {
            // ELOOP / ENOTDIR: a link or a file where a folder must be.
            *error = why(QStringLiteral("cannot open folder"), segment.toString());
            return Fd();
        }
        if (made)
            ::fchmod(next.get(), kDirMode); // the mode asked for, whatever the umask
        current = std::move(next);
    }
    return current;
}

Fd openFile(int dir, const QString &name, bool create, QString *error) {
    const QByteArray n = name.toUtf8();
    const int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
    Fd fd(::openat(dir, n.constData(), flags, kFileMode));
    if (!fd.isValid()) {
        *error = why(create ? QStringLiteral("cannot create file") : QStringLiteral("cannot open file"), name);
        return Fd();
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
        *error = QStringLiteral("%1 is not a plain file of its own").arg(name);
        return Fd();
    }
    if (create)
        ::fchmod(fd.get(), kFileMode); // the mode asked for, whatever the umask
    return fd;
}

bool exists(int dir, const QString &name) {
    struct stat st {};
    return ::fstatat(dir, name.toUtf8().constData(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

bool removeTree(int dir, const QString &name, QString *error) {
    const QByteArray n = name.toUtf8();
    struct stat st {};
    if (::fstatat(dir, n.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode)) {
        if (::unlinkat(dir, n.constData(), 0) == 0)
            return true;
        *error = why(QStringLiteral("cannot remove"), name);
        return false;
    }
    Fd sub(::openat(dir, n.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub.isValid()) {
        *error = why(QStringLiteral("cannot open folder"), name);
        return false;
    }
    DIR *listing = ::fdopendir(::fcntl(sub.get(), F_DUPFD_CLOEXEC, 0));
    if (!listing) {
        *error = why(QStringLiteral("cannot list folder"), name);
        return false;
    }
    QStringList children;
    while (const dirent *entry = ::readdir(listing)) {
        const QByteArray child(entry->d_name);
        if (child != "." && child != "..")
            children.append(QString::fromUtf8(child));
    }
    ::closedir(listing);
    for (const QString &child : children)
        if (!removeTree(sub.get(), child, error))
            return false;
    if (::unlinkat(dir, n.constData(), AT_REMOVEDIR) == 0)
        return true;
    *error = why(QStringLiteral("cannot remove folder"), name);
    return false;
}

bool renameNoReplace(int from, const QString &fromName, int to, const QString &toName, QString *error) {
    if (::renameat2(from, fromName.toUtf8().constData(), to, toName.toUtf8().constData(), RENAME_NOREPLACE) == 0)
        return true;
    *error = why(QStringLiteral("cannot move into place"), toName);
    return false;
}

qint64 freeBytes(int fd) {
    struct statvfs st {};
    if (::fstatvfs(fd, &st) != 0)
        return -1;
    return qint64(st.f_bavail) * qint64(st.f_frsize);
}

bool writeAll(int fd, const char *data, qint64 size, QString *error, bool *noSpace) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (noSpace)
                *noSpace = n < 0 && (errno == ENOSPC || errno == EDQUOT);
            *error = why(QStringLiteral("cannot write"), QStringLiteral("file"));
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

bool writeNewFile(int dir, const QString &name, const QByteArray &data, QString *error) {
    Fd fd = openFile(dir, name, true, error);
    if (!fd.isValid())
        return false;
    if (!writeAll(fd.get(), data.constData(), data.size(), error))
        return false;
    if (::fsync(fd.get()) != 0) {
        *error = why(QStringLiteral("cannot sync"), name);
        return false;
    }
    return true;
}

} // namespace safefs
} // namespace airlock
