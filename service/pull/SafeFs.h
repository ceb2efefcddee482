#pragma once

#include <QString>
#include <QStringView>

namespace airlock {

// A file descriptor that closes itself.
class Fd final {
public:
    Fd() = default;
    explicit Fd(int fd)
        : m_fd(fd) {}
    ~Fd();
    Fd(Fd &&other) noexcept
        : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return m_fd; }
    bool isValid() const { return m_fd >= 0; }
    int release();

private:
    int m_fd = -1;
};

// File-system steps for pulls that never follow a symbolic link planted in the destination:
// everything happens below a folder's descriptor, one path segment at a time, with O_NOFOLLOW,
// files are created with O_EXCL, and a rename never replaces what is there. Folders are made
// 0750 and files 0640. Each function says why it failed in *error (with the path segment).
namespace safefs {

// The destination folder itself (an administrator's choice; made with its parents when missing).
Fd openRoot(const QString &path, QString *error);
// The folder at relative path rel beneath dir, made when missing and create is set. rel empty:
// a new descriptor of dir itself.
Fd openDir(int dir, QStringView rel, bool create, QString *error);
// A regular file in dir (name: one segment), read-write. create: it must not exist yet
// (O_EXCL); otherwise it must exist. A file with more than one link is refused.
Fd openFile(int dir, const QString &name, bool create, QString *error);
// Whether name exists in dir (a link counts as existing, it is not followed).
bool exists(int dir, const QString &name);
// Removes name from dir, a folder with everything in it; links are removed, never followed.
bool removeTree(int dir, const QString &name, QString *error);
// Moves from/fromName to to/toName; fails when toName exists (nothing is replaced).
bool renameNoReplace(int from, const QString &fromName, int to, const QString &toName, QString *error);
// Bytes an unprivileged writer may still use on the file system of fd; -1 when unknown.
qint64 freeBytes(int fd);
// Writes all of data at the file's current offset; false on a short write or an error.
bool writeAll(int fd, const char *data, qint64 size, QString *error, bool *noSpace = nullptr);
// Makes name in dir hold exactly data (a new file, O_EXCL), synced.
bool writeNewFile(int dir, const QString &name, const QByteArray &data, QString *error);

} // namespace safefs
} // namespace airlock
