#include "admin/PeerCredentials.h"

#include <QByteArray>

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

namespace airlock {

QString PeerCredentials::describe() const {
    QString name;
    struct passwd pw {};
    struct passwd *found = nullptr;
    char buffer[1024];
    if (::getpwuid_r(uid, &pw, buffer, sizeof(buffer), &found) == 0 && found)
        name = QString::fromLocal8Bit(found->pw_name);
    return name.isEmpty() ? QStringLiteral("uid %1, pid %2").arg(uid).arg(pid)
                          : QStringLiteral("uid %1 (%2), pid %3").arg(uid).arg(name).arg(pid);
}

bool readPeerCredentials(int fd, PeerCredentials *out, QString *error) {
    struct ucred cred {};
    socklen_t length = sizeof(cred);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0 || length != sizeof(cred)) {
        *error = QStringLiteral("cannot read peer credentials: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    out->pid = cred.pid;
    out->uid = cred.uid;
    out->gid = cred.gid;
    out->groups = {cred.gid};

    // The kernel's own list of the peer's supplementary groups, as seen from our namespace.
    QList<gid_t> groups(64);
    for (int attempt = 0; attempt < 4; ++attempt) {
        socklen_t bytes = socklen_t(groups.size() * sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &bytes) == 0) {
            groups.resize(bytes / sizeof(gid_t));
            for (gid_t g : groups)
                if (!out->groups.contains(g))
                    out->groups.append(g);
            return true;
        }
        if (errno != ERANGE)
            break;
        groups.resize(bytes / sizeof(gid_t) + 16);
    }
    // Older kernels: ask the user database. Weaker (it is the configured membership, not the
    // process's), and useless under PrivateUsers, but better than primary-group only.
    struct passwd pw {};
    struct passwd *found = nullptr;
    char buffer[4096];
    if (::getpwuid_r(cred.uid, &pw, buffer, sizeof(buffer), &found) == 0 && found) {
        int count = 256;
        QList<gid_t> list(count);
        if (::getgrouplist(found->pw_name, cred.gid, list.data(), &count) >= 0) {
            list.resize(count);
            for (gid_t g : list)
                if (!out->groups.contains(g))
                    out->groups.append(g);
        }
    }
    return true;
}

std::optional<gid_t> lookupGroup(const QString &name) {
    if (name.isEmpty())
        return std::nullopt;
    struct group gr {};
    struct group *found = nullptr;
    QByteArray buffer(16384, '\0');
    const QByteArray encoded = name.toLocal8Bit();
    if (::getgrnam_r(encoded.constData(), &gr, buffer.data(), size_t(buffer.size()), &found) != 0 || !found)
        return std::nullopt;
    return found->gr_gid;
}

AdminRole decideRole(const PeerCredentials &peer, uid_t serviceUid, const AdminSettings &settings,
                     const GroupLookup &lookup) {
    // 65534 is the overflow id: an unmapped uid or group in a user namespace must never match.
    if (peer.uid == 0 || (peer.uid == serviceUid && serviceUid != uid_t(65534)))
        return AdminRole::Admin;
    auto member = [&](const QString &name) {
        const std::optional<gid_t> gid = lookup(name);
        return gid && *gid != gid_t(65534) && peer.groups.contains(*gid);
    };
    if (member(settings.group))
        return AdminRole::Admin;
    if (member(settings.viewerGroup))
        return AdminRole::Viewer;
    return AdminRole::None;
}

QString roleName(AdminRole role) {
    switch (role) {
    case AdminRole::Admin:
        return QStringLiteral("admin");
    case AdminRole::Viewer:
        return QStringLiteral("viewer");
    case AdminRole::None:
        break;
    }
    return QStringLiteral("none");
}

} // namespace airlock
