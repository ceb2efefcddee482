#pragma once

#include "TestUpstream.h"

#include <QCryptographicHash>
#include <QObject>

#include <llhttp.h>

class QTcpSocket;

namespace airlock::test {

// One accepted connection of TestUpstream: parses requests with llhttp (keep-alive, chunked
// request bodies, Expect: 100-continue), hands each to the server's handler, and writes the
// answer, streaming generated bodies in large slices while respecting the socket's backlog.
// Requests are answered in order; bytes of the next one wait until the current answer is done.
class TestConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestConnection)
public:
    TestConnection(TestUpstream *server, QTcpSocket *socket, int serial, const QString &sni);
    ~TestConnection() override;

    bool answering(quint64 request) const {
        return m_state == State::Responding && request == m_requestSerial && !m_answered;
    }
    void reply(quint64 request, int status, const TestHeaders &headers, const QByteArray &body);
    void sendGenerated(quint64 request, const GeneratedResponse &spec);
    void writeRaw(quint64 request, const QByteArray &bytes, bool closeAfter);
    void stall(quint64 request);
    void closeNow(quint64 request);
    bool closeIfIdle(); // between requests of a kept-alive connection: closed, as servers time them out

private:
    enum class State { Reading, Responding, Closed };

    static int onUrl(llhttp_t *p, const char *at, size_t len);
    static int onHeaderField(llhttp_t *p, const char *at, size_t len);
    static int onHeaderValue(llhttp_t *p, const char *at, size_t len);
    static int onHeadersComplete(llhttp_t *p);
    static int onBody(llhttp_t *p, const char *at, size_t len);
    static int onMessageComplete(llhttp_t *p);

    void onReadyRead();
    void parse();
    void dispatch();
    void writeHead(int status, TestHeaders headers, qint64 contentLength);
    void pump();
    void finishResponse();
    void onDisconnected();
    qint64 pending() const;

    TestUpstream *m_server;
    QTcpSocket *m_socket;
    int m_serial;
    QString m_sni;
    llhttp_t m_parser;
    llhttp_settings_t m_settings;
    QByteArray m_in;
    State m_state = State::Reading;
    bool m_inParse = false;

    RecordedRequest m_request;
    bool m_headerValueLast = false;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    bool m_messageComplete = false;
    quint64 m_requestSerial = 0;
    bool m_answered = false;
    bool m_keepAlive = true;
    bool m_isHead = false;
    bool m_gone = false;
    QByteArray m_range;

    // generated body in flight
    bool m_generating = false;
    qint64 m_genOffset = 0;
    qint64 m_genEnd = 0;     // offset after the last byte of the body
    qint64 m_genStopAt = -1; // offset at which to die or stall
    bool m_genChunked = false;
    bool m_genDie = false;
    bool m_genFromContent = false; // m_genContent instead of the generated sequence
    QByteArray m_genContent;
    qint64 m_genCorruptAt = -1;
};

} // namespace airlock::test
