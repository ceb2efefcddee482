#include "upstream/Resolver.h"

#include "upstream/ReservedAddress.h"
#include "upstream/UpstreamLog.h"

#include <QHostInfo>

namespace airlock {

Q_LOGGING_CATEGORY(lcUpstream, "airlock.upstream")

namespace {

void deliver(QObject *context, std::function<void(const ResolveResult &)> callback, ResolveResult result) {
    // Queued on context: asynchronous even when the answer is known now, and dropped if
    // context dies first.
    QMetaObject::invokeMethod(
        context, [callback = std::move(callback), result = std::move(result)] { callback(result); },
        Qt::QueuedConnection);
}

ResolveResult unreachable(const QString &host) {
    ResolveResult r;
    r.error = ErrorCode::UpstreamUnreachable;
    r.message = QStringLiteral("upstream unreachable: ") + host;
    return r;
}

// IPv4 first: an appliance without an IPv6 route fails on a v6 answer, and one address is tried.
QHostAddress preferredAddress(const QList<QHostAddress> &addresses) {
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol)
            return a;
    }
    return addresses.value(0);
}

} // namespace

Resolver::Resolver(QList<ConnectTo> connectTo, QObject *parent)
    : QObject(parent)
    , m_connectTo(std::move(connectTo)) {}

void Resolver::resolve(const QString &host, int port, QObject *context,
                       std::function<void(const ResolveResult &)> callback) {
    for (const ConnectTo &mapping : m_connectTo) {
        if (mapping.host != host || mapping.port != port)
            continue;
        // The operator's explicit mapping: no reserved-address check (tests, split DNS).
        const QHostAddress literal(mapping.address);
        if (!literal.isNull()) {
            ResolveResult r;
            r.address = literal;
            r.port = mapping.addressPort;
            r.viaConnectTo = true;
            deliver(context, std::move(callback), r);
            return;
        }
        const int addressPort = mapping.addressPort;
        QHostInfo::lookupHost(mapping.address, context,
                              [host, addressPort, callback = std::move(callback)](const QHostInfo &info) {
                                  if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
                                      callback(unreachable(host));
                                      return;
                                  }
                                  ResolveResult r;
                                  r.address = preferredAddress(info.addresses());
                                  r.port = addressPort;
                                  r.viaConnectTo = true;
                                  callback(r);
                              });
        return;
    }

    QHostInfo::lookupHost(host, context, [host, port, callback = std::move(callback)](const QHostInfo &info) {
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            callback(unreachable(host));
            return;
        }
        for (const QHostAddress &a : info.addresses()) {
            const QString reason = reservedAddressReason(a);
            if (!reason.isEmpty()) {
                qCInfo(lcUpstream) << "refused" << host << "resolves to a" << reason << "address";
                ResolveResult r;
                r.error = ErrorCode::ReservedAddress;
                r.message = QStringLiteral("destination resolves to a non-public address: ") + host;
                callback(r);
                return;
            }
        }
        ResolveResult r;
        r.address = preferredAddress(info.addresses());
        r.port = port;
        callback(r);
    });
}

} // namespace airlock
