#include "admin/PolicyFile.h"

#include "policy/PolicyYaml.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <re2/re2.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace airlock {

QStringList servicePolicyProblems(const Policy &policy) {
    QStringList problems;
    for (const CustomPattern &pattern : policy.contentRules.customPatterns) {
        RE2::Options options;
        options.set_log_errors(false);
        const std::string regex = pattern.regex.toStdString();
        RE2 re(regex, options);
        if (!re.ok())
            problems.append(QStringLiteral("airlock.content_rules.custom_patterns[%1]: invalid regex: %2")
                                .arg(pattern.id, QString::fromStdString(re.error())));
    }
    return problems;
}

PolicyFileResult loadPolicyFile(const QString &path) {
    PolicyFileResult result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.problems.append(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return result;
    }
    const QByteArray data = file.read(4 * 1024 * 1024 + 1);
    if (data.size() > 4 * 1024 * 1024) {
        result.problems.append(QStringLiteral("%1: larger than 4 MiB").arg(path));
        return result;
    }
    const PolicyParseResult parsed = parsePolicyYaml(data);
    for (const PolicyProblem &p : parsed.problems)
        result.problems.append(QStringLiteral("%1: %2").arg(path, p.toString()));
    if (!parsed.ok())
        return result;
    for (const QString &p : servicePolicyProblems(*parsed.policy))
        result.problems.append(QStringLiteral("%1: %2").arg(path, p));
    if (result.problems.isEmpty())
        result.policy = parsed.policy;
    return result;
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error, int mode) {
    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    const QByteArray target = QFile::encodeName(info.absoluteFilePath());
    QByteArray temp = dir + "/." + QFile::encodeName(info.fileName()) + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    auto fail = [&](const char *what) {
        if (error)
            *error = QStringLiteral("%1 %2: %3")
                         .arg(QString::fromLatin1(what), path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    };
    if (fd < 0)
        return fail("cannot create a temporary file for");
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int saved = errno;
            ::close(fd);
            ::unlink(temp.constData());
            errno = saved;
            return fail("cannot write");
        }
        written += n;
    }
    if (::fchmod(fd, mode_t(mode)) != 0 || ::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        ::unlink(temp.constData());
        errno = saved;
        return fail("cannot sync");
    }
    if (::close(fd) != 0) {
        ::unlink(temp.constData());
        return fail("cannot close");
    }
    if (::rename(temp.constData(), target.constData()) != 0) {
        const int saved = errno;
        ::unlink(temp.constData());
        errno = saved;
        return fail("cannot replace");
    }
    const int dirFd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return true;
}

} // namespace airlock
