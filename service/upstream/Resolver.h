#pragma once

#include "base/ErrorCode.h"
#include "upstream/ConnectTo.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

namespace airlock {

struct ResolveResult {
    ErrorCode error = ErrorCode::None; // ReservedAddress, UpstreamUnreachable (NXDOMAIN, no address)
    QString message;
    QHostAddress address; // the checked address to connect to
    int port = 443;
    bool viaConnectTo = false;
};

// Resolves a destination: a --connect-to mapping wins; otherwise DNS, and the destination is
// refused if any answer is reserved (so a name that also resolves to 127.0.0.1 never passes).
class Resolver final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Resolver)
public:
    explicit Resolver(QList<ConnectTo> connectTo, QObject *parent = nullptr);
    // callback is invoked exactly once, asynchronously, unless context is destroyed first.
    void resolve(const QString &host, int port, QObject *context, std::function<void(const ResolveResult &)> callback);

private:
    QList<ConnectTo> m_connectTo;
};

} // namespace airlock
