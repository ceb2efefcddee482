#pragma once

#include "base/HeaderList.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QSet>

namespace airlock::http {

// The pieces of RFC 9110's grammar and field semantics that every side of the Airlock applies
// alike: the HTTP server to what clients send, the Gate to what a request asks to send, the
// upstream side to what it writes and reads. Defined once, pinned by tst_httpgrammar.

// RFC 9110 5.6.2 token: one or more tchar; no NUL, space, control or separator.
bool isToken(QByteArrayView s);

// A field value the Airlock will put on the wire: no CR, LF, NUL or other control character
// (HTAB allowed), no DEL. Anything else could smuggle a second field or request.
bool isFieldValue(QByteArrayView s);

// Connection-specific fields (RFC 9110 7.6.1, and the proxy fields of RFC 2616 13.5.1): they
// describe one connection and are never forwarded. Lower-case name.
bool isHopByHop(QByteArrayView lowerName);

// Fields that carry a credential to the destination. Lower-case name.
bool isCredentialHeader(QByteArrayView lowerName);

// Fields the sender of a message frames itself (Host from the URL, the body's length, the
// 100-continue handshake): a client's values for them are never forwarded. Lower-case name.
bool isFraming(QByteArrayView lowerName);

// The lower-case field names a message's Connection headers declare hop-by-hop.
QSet<QByteArray> connectionListed(const HeaderList &headers);

} // namespace airlock::http
