#include "AirlockHarness.h"

#include "GeneratedBody.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>

namespace airlock::test {

QString airlockdPath() {
    return QStringLiteral(AIRLOCKD_PATH);
}

QByteArray ClientResponse::header(const QByteArray &name) const {
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

QJsonObject ClientResponse::json() const {
    return QJsonDocument::fromJson(body).object();
}

namespace {

// Incremental response reader: head, then Content-Length, chunked or read-until-close body.
class ResponseReader {
public:
    explicit ResponseReader(const ClientOptions &options, ClientResponse *out)
        : m_options(options)
        , m_out(out)
        , m_checker(options.generatedOffset >= 0 ? options.generatedOffset : 0) {}

    // Returns true when the response is complete.
    bool feed(const QByteArray &data) {
        m_buffer.append(data);
        for (;;) {
            if (m_state == State::Head) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return false;
                parseHead(m_buffer.left(end));
                m_buffer.remove(0, end + 4);
                if (m_out->status == 100) {
                    m_out->headers.clear();
                    continue;
                }
                const QByteArray te = m_out->header("transfer-encoding").toLower();
                const QByteArray cl = m_out->header("content-length");
                if (m_out->status == 204 || m_out->status == 304 || m_head) {
                    m_state = State::Done;
                } else if (te.contains("chunked")) {
                    m_state = State::ChunkSize;
                } else if (!cl.isEmpty()) {
                    m_remaining = cl.toLongLong();
                    m_state = m_remaining == 0 ? State::Done : State::Fixed;
                } else {
                    m_state = State::UntilClose;
                }
            } else if (m_state == State::Fixed) {
                const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
                body(m_buffer.left(take));
                m_buffer.remove(0, take);
                m_remaining -= take;
                if (m_remaining == 0)
                    m_state = State::Done;
                else
                    return false;
            } else if (m_state == State::ChunkSize) {
                const qsizetype eol = m_buffer.indexOf("\r\n");
                if (eol < 0)
                    return false;
                bool ok = false;
                m_remaining = m_buffer.left(eol).split(';').first().trimmed().toLongLong(&ok, 16);
                m_buffer.remove(0, eol + 2);
                if (!ok)
                    return false;
                m_state = m_remaining == 0 ? State::Trailer : State::ChunkData;
            } else if (m_state == State::ChunkData) {
                const qint64 take = std::min<qint64>(m_remaining, m_buffer.size());
                body(m_buffer.left(take));
                m_buffer.remove(0, take);
                m_remaining -= take;
                if (m_remaining > 0)
                    return false;
                m_state = State::ChunkEnd;
            } else if (m_state == State::ChunkEnd) {
                if (m_buffer.size() < 2)
                    return false;
                m_buffer.remove(0, 2);
                m_state = State::ChunkSize;
            } else if (m_state == State::Trailer) {
                const qsizetype eol = m_buffer.indexOf("\r\n");
                if (eol < 0)
                    return false;
                m_buffer.remove(0, eol + 2);
                if (eol == 0)
                    m_state = State::Done;
            } else if (m_state == State::UntilClose) {
                body(m_buffer);
                m_buffer.clear();
                return false;
            }
            if (m_state == State::Done) {
                m_out->complete = true;
                m_out->bodyMatchesGenerated = m_options.generatedOffset < 0 || m_checker.ok();
                return true;
            }
        }
    }

    void setHeadRequest(bool head) { m_head = head; }
    bool untilClose() const { return m_state == State::UntilClose; }
    void finishAtClose() {
        if (m_state == State::UntilClose)
            m_out->complete = true;
        m_out->bodyMatchesGenerated = m_options.generatedOffset < 0 || m_checker.ok();
    }
    qint64 bodyBytes() const { return m_out->bodyBytes; }

private:
    enum class State { Head, Fixed, ChunkSize, ChunkData, ChunkEnd, Trailer, UntilClose, Done };

    void parseHead(const QByteArray &head) {
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        m_out->status = statusLine.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_out->headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
    }

    void body(const QByteArray &data) {
        if (data.isEmpty())
            return;
        m_out->bodyBytes += data.size();
        if (m_options.keepBody)
            m_out->body.append(data);
        if (m_options.generatedOffset >= 0)
            m_checker.feed(data);
        if (m_options.onBody)
            m_options.onBody(m_out->bodyBytes);
    }

    ClientOptions m_options;
    ClientResponse *m_out;
    GeneratedBodyChecker m_checker;
    QByteArray m_buffer;
    State m_state = State::Head;
    qint64 m_remaining = 0;
    bool m_head = false;
};

} // namespace

namespace {

// One request on its own connection, read by ResponseReader; done() once it is complete,
// the server closed, or the client gave up.
class Exchange {
public:
    Exchange(quint16 port, const QByteArray &request, const ClientOptions &options, std::function<void()> onDone)
        : m_reader(options, &response)
        , m_options(options)
        , m_onDone(std::move(onDone)) {
        m_socket.setReadBufferSize(0);
        QObject::connect(&m_socket, &QTcpSocket::connected, [this, request] { m_socket.write(request); });
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { onReadyRead(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] {
            response.closed = true;
            if (!m_done) {
                m_reader.feed(m_socket.readAll());
                m_reader.finishAtClose();
            }
            finish();
        });
        QObject::connect(&m_socket, &QTcpSocket::errorOccurred, [this](QAbstractSocket::SocketError e) {
            if (e == QAbstractSocket::RemoteHostClosedError)
                return; // disconnected() follows
            response.closed = true;
            if (!m_done)
                m_reader.finishAtClose();
            finish();
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool done() const { return m_done; }
    ClientResponse response;

private:
    void onReadyRead() {
        if (m_done)
            return;
        if (m_reader.feed(m_socket.readAll()))
            return finish();
        if (m_options.abortAfterBytes >= 0 && m_reader.bodyBytes() >= m_options.abortAfterBytes) {
            m_socket.abort();
            finish();
        }
    }
    void finish() {
        if (m_done)
            return;
        m_done = true;
        m_onDone();
    }

    QTcpSocket m_socket;
    ResponseReader m_reader;
    ClientOptions m_options;
    std::function<void()> m_onDone;
    bool m_done = false;
};

} // namespace

QList<ClientResponse> sendRawConcurrently(quint16 port, const QList<QByteArray> &requests,
                                          const ClientOptions &options) {
    QEventLoop loop;
    int remaining = int(requests.size());
    std::vector<std::unique_ptr<Exchange>> exchanges;
    for (const QByteArray &request : requests)
        exchanges.push_back(std::make_unique<Exchange>(port, request, options, [&] {
            if (--remaining == 0)
                loop.quit();
        }));
    QTimer::singleShot(options.timeoutMs, &loop, &QEventLoop::quit);
    if (remaining > 0)
        loop.exec();
    QList<ClientResponse> responses;
    for (const auto &exchange : exchanges)
        responses.append(exchange->response);
    return responses;
}

ClientResponse sendRaw(quint16 port, const QByteArray &request, const ClientOptions &options) {
    return sendRawConcurrently(port, {request}, options).first();
}

AirlockProcess::AirlockProcess() {
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // If the test dies, its airlockd goes with it rather than lingering on the machine.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    QObject::connect(&m_process, &QProcess::readyRead, [this] { m_log.append(m_process.readAll()); });
}

AirlockProcess::~AirlockProcess() {
    stop();
}

void AirlockProcess::stop() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

QByteArray AirlockProcess::enabledDefaultPolicy() {
    QFile f(QStringLiteral(AIRLOCK_DEFAULT_POLICY));
    f.open(QIODevice::ReadOnly);
    QByteArray text = f.readAll();
    text.replace("enabled: false", "enabled: true");
    return text;
}

QByteArray AirlockProcess::testPolicy(const QString &extraDestinations, int requestsPerMinute, qint64 maxBodySize) {
    QByteArray yaml = "airlock:\n"
                      "  enabled: true\n"
                      "  allowed_destinations:\n"
                      "    - huggingface.co\n"
                      "    - { host: cdn-lfs.huggingface.co, methods: [GET, HEAD] }\n"
                      "    - { host: \"*.hf.co\", methods: [GET, HEAD] }\n"
                      "    - { host: \"https://registry.ollama.ai/v2/\", methods: [GET, HEAD] }\n"
                      "    - localhost\n";
    yaml += extraDestinations.toUtf8();
    yaml += "  allowed_methods: [GET, HEAD, POST]\n"
            "  max_body_size: " +
            QByteArray::number(maxBodySize) +
            "\n"
            "  rate_limit:\n"
            "    requests_per_minute: " +
            QByteArray::number(requestsPerMinute) +
            "\n"
            // Tests upload many bodies to one host; the egress budget has tests of its own.
            "    upload_bytes_per_hour: 1099511627776\n";
    return yaml;
}

bool AirlockProcess::start(TestUpstream *upstream, const QByteArray &policyYaml, const QStringList &extraArgs) {
    if (!m_dir.isValid())
        return false;
    m_log.clear(); // a restart must not find the previous run's "listening on" line
    m_port = 0;
    if (!policyYaml.isNull()) {
        QFile f(configPath());
        if (!f.open(QIODevice::WriteOnly) || f.write(policyYaml) != policyYaml.size())
            return false;
    }
    QStringList args{QStringLiteral("--listen"),       QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--state-dir"),    m_dir.path(),
                     QStringLiteral("--config"),       configPath(),
                     QStringLiteral("--admin-socket"), m_dir.filePath(QStringLiteral("admin.sock"))};
    if (upstream) {
        args << QStringLiteral("--ca-file") << upstream->caFilePath();
        for (const QString &host : TestUpstream::defaultHostNames()) {
            if (host == QLatin1String("localhost"))
                continue; // localhost resolves through DNS: the reserved-address check must see it
            args << QStringLiteral("--connect-to")
                 << QStringLiteral("%1:443:127.0.0.1:%2").arg(host).arg(upstream->port());
        }
    }
    args << extraArgs;
    m_process.start(airlockdPath(), args);
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
    QDeadlineTimer deadline(15'000);
    while (!deadline.hasExpired()) {
        const auto match = listening.match(QString::fromUtf8(m_log));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            QFile token(m_dir.filePath(QStringLiteral("api.token")));
            if (!token.open(QIODevice::ReadOnly))
                return false;
            m_token = token.readAll().trimmed();
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(100);
        m_log.append(m_process.readAll());
    }
    return false;
}

QByteArray AirlockProcess::fetchRequest(const QJsonObject &body, const QByteArray &path) const {
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "POST " + path +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
           "application/json\r\nAuthorization: Bearer " +
           m_token + "\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n\r\n" + json;
}

ClientResponse AirlockProcess::fetch(const QJsonObject &body, const ClientOptions &options, const QByteArray &path) {
    return sendRaw(m_port, fetchRequest(body, path), options);
}

ClientResponse AirlockProcess::call(const QByteArray &method, const QByteArray &path, const QJsonObject &body) {
    const QByteArray json = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                         "Authorization: Bearer " + m_token + "\r\n";
    if (!json.isEmpty() || method == "POST")
        request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n";
    request += "\r\n" + json;
    return sendRaw(m_port, request);
}

ClientResponse AirlockProcess::get(const QByteArray &path, bool withToken) {
    QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (withToken)
        request += "Authorization: Bearer " + m_token + "\r\n";
    request += "\r\n";
    return sendRaw(m_port, request);
}

} // namespace airlock::test
