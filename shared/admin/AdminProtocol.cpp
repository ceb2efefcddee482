#include "admin/AdminProtocol.h"

#include <QJsonDocument>
#include <QtEndian>

namespace airlock::admin {

namespace {

struct CommandName {
    Command command;
    const char *name;
    bool admin;
};

constexpr CommandName kCommands[] = {
    {Command::Status, "status", false},
    {Command::SetEnabled, "set_enabled", true},
    {Command::Lockdown, "lockdown", true},
    {Command::Unlock, "unlock", true},
    {Command::GetPolicy, "get_policy", false},
    {Command::AllowAdd, "allow_add", true},
    {Command::AllowRemove, "allow_remove", true},
    {Command::AllowReplace, "allow_replace", true},
    {Command::Reload, "reload", true},
    {Command::RecentEvents, "recent_events", false},
    {Command::SubscribeEvents, "subscribe_events", false},
    {Command::ListTransfers, "list_transfers", false},
    {Command::SubscribeTransfers, "subscribe_transfers", false},
    {Command::ListPulls, "list_pulls", false},
    {Command::GetPull, "get_pull", false},
    {Command::StartPull, "start_pull", true},
    {Command::CancelPull, "cancel_pull", true},
    {Command::ResumePull, "resume_pull", true},
};

} // namespace

std::optional<Command> commandFromName(const QString &name) {
    for (const CommandName &c : kCommands)
        if (name == QLatin1String(c.name))
            return c.command;
    return std::nullopt;
}

QString commandName(Command command) {
    for (const CommandName &c : kCommands)
        if (c.command == command)
            return QString::fromLatin1(c.name);
    return {};
}

bool commandNeedsAdmin(Command command) {
    for (const CommandName &c : kCommands)
        if (c.command == command)
            return c.admin;
    return true;
}

void appendFrame(QByteArray *out, const QJsonObject &object) {
    const QByteArray payload = QJsonDocument(object).toJson(QJsonDocument::Compact);
    char header[4];
    qToBigEndian(quint32(payload.size()), header);
    out->append(header, 4);
    out->append(payload);
}

QByteArray frame(const QJsonObject &object) {
    QByteArray out;
    appendFrame(&out, object);
    return out;
}

void FrameReader::feed(const QByteArray &bytes) {
    if (m_failed)
        return;
    // Compact what was consumed before growing the buffer.
    if (m_offset > 0 && m_offset >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
}

FrameReader::Status FrameReader::next(QJsonObject *object) {
    if (m_failed)
        return Status::Error;
    const qsizetype available = m_buffer.size() - m_offset;
    if (available < 4)
        return Status::NeedMore;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (length == 0 || qint64(length) > MaxFrameBytes) {
        m_failed = true;
        m_error = QStringLiteral("frame of %1 bytes refused (limit %2)").arg(length).arg(MaxFrameBytes);
        return Status::Error;
    }
    if (available < 4 + qsizetype(length))
        return Status::NeedMore;
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromRawData(m_buffer.constData() + m_offset + 4, length), &error);
    m_offset += 4 + qsizetype(length);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        m_failed = true;
        m_error = QStringLiteral("frame is not a JSON object");
        return Status::Error;
    }
    *object = doc.object();
    return Status::Frame;
}

QJsonObject request(qint64 id, Command command, const QJsonObject &args) {
    return QJsonObject{{QStringLiteral("v"), ProtocolVersion},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("cmd"), commandName(command)},
                       {QStringLiteral("args"), args}};
}

QJsonObject okResponse(qint64 id, const QJsonObject &result) {
    return QJsonObject{{QStringLiteral("v"), ProtocolVersion},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("ok"), true},
                       {QStringLiteral("result"), result}};
}

QJsonObject errorResponse(qint64 id, const QString &code, const QString &error) {
    return QJsonObject{{QStringLiteral("v"), ProtocolVersion},
                       {QStringLiteral("id"), id},
                       {QStringLiteral("ok"), false},
                       {QStringLiteral("code"), code},
                       {QStringLiteral("error"), error}};
}

QJsonObject event(const QString &name, const QJsonValue &data) {
    return QJsonObject{
        {QStringLiteral("v"), ProtocolVersion}, {QStringLiteral("event"), name}, {QStringLiteral("data"), data}};
}

} // namespace airlock::admin
