#pragma once

#include "policy/Policy.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <sys/types.h>

namespace airlock {

// Who is at the other end of an admin connection, as the kernel says (SO_PEERCRED, and
// SO_PEERGROUPS for the supplementary groups when the kernel has it).
struct PeerCredentials {
    pid_t pid = 0;
    uid_t uid = uid_t(-1);
    gid_t gid = gid_t(-1);
    QList<gid_t> groups;      // primary group included
    QString describe() const; // "uid 1000 (alice), pid 4242" for logs and lockdown "who"
};

enum class AdminRole { None, Viewer, Admin };

// Reads the credentials of the peer of a connected AF_UNIX socket.
bool readPeerCredentials(int fd, PeerCredentials *out, QString *error);

// Resolves a group name to its gid; nullopt when the group does not exist.
using GroupLookup = std::function<std::optional<gid_t>(const QString &name)>;
std::optional<gid_t> lookupGroup(const QString &name);

// The decision, pure: uid 0 and the service's own uid are administrators; so is any member of
// admin.group; members of admin.viewer_group may read; anyone else is nobody. Membership is
// judged by the peer's groups, not its uid, because under PrivateUsers=yes a non-root peer's uid
// shows as 65534 while its mapped groups are still visible. A group that does not exist
// admits no one.
AdminRole decideRole(const PeerCredentials &peer, uid_t serviceUid, const AdminSettings &settings,
                     const GroupLookup &lookup = lookupGroup);

QString roleName(AdminRole role);

} // namespace airlock
