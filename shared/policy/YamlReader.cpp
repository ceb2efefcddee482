#include "policy/YamlReader.h"

#include <QStringDecoder>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <sstream>

namespace airlock {

namespace {

constexpr qsizetype kMaxPolicyBytes = 1024 * 1024;

// UTF-8 to QString keeping every character: QString::fromStdString drops a leading U+FEFF as
// if it were a byte order mark, so a value that starts with one would change on the way in.
QString fromUtf8Exact(const std::string &text) {
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
    return decoder.decode(QByteArrayView(text.data(), qsizetype(text.size())));
}

// Whether the quoted scalar that starts at pos (at its opening quote) is closed before the end
// of the text. yaml-cpp ends an unclosed quoted scalar at the end of the input without an
// error, so the rest of the file would silently become part of one string. Linear in the
// scalar's length.
bool quotedScalarCloses(const QByteArray &text, qsizetype pos) {
    if (text.startsWith("\xEF\xBB\xBF"))
        pos += 3; // the reader's positions start after a byte order mark
    if (pos < 0 || pos >= text.size())
        return true;
    const char quote = text.at(pos);
    if (quote != '"' && quote != '\'')
        return true;
    for (qsizetype i = pos + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (quote == '"' && c == '\\') {
            ++i; // an escape: the next character is never the closing quote
        } else if (c == quote) {
            if (quote == '\'' && i + 1 < text.size() && text.at(i + 1) == '\'') {
                ++i; // '' is a quote inside a single-quoted scalar
                continue;
            }
            return true;
        }
    }
    return false;
}

// Anchors and aliases make a document a graph; walking one can take exponential time, and a
// policy never needs them. More than one document would be silently ignored by Load(). A
// quoted scalar must be closed.
class StructureCheck final : public YAML::EventHandler {
public:
    StructureCheck(YamlReader &reader, const QByteArray &text)
        : m_reader(reader)
        , m_text(text) {}
    int documents = 0;
    bool failed = false;

    void OnDocumentStart(const YAML::Mark &mark) override {
        if (++documents == 2) {
            m_reader.reportAt(mark, QString(), QStringLiteral("only one YAML document is allowed"));
            failed = true;
        }
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { checkAnchor(mark, anchor); }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override {
        m_reader.reportAt(mark, QString(), QStringLiteral("YAML aliases are not supported"));
        failed = true;
    }
    void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, const std::string &) override {
        checkAnchor(mark, anchor);
        if (!failed && !quotedScalarCloses(m_text, mark.pos)) {
            m_reader.reportAt(mark, QString(), QStringLiteral("YAML syntax error: a quoted string is never closed"));
            failed = true;
        }
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        checkAnchor(mark, anchor);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        checkAnchor(mark, anchor);
    }
    void OnMapEnd() override {}

private:
    void checkAnchor(const YAML::Mark &mark, YAML::anchor_t anchor) {
        if (anchor == YAML::NullAnchor)
            return;
        m_reader.reportAt(mark, QString(), QStringLiteral("YAML anchors are not supported"));
        failed = true;
    }

    YamlReader &m_reader;
    const QByteArray &m_text;
};

bool isNull(const YAML::Node &node) {
    return !node.IsDefined() || node.IsNull();
}

} // namespace

std::optional<YAML::Node> YamlReader::load(const QByteArray &yaml) {
    if (yaml.size() > kMaxPolicyBytes) {
        reportAt(YAML::Mark::null_mark(), QString(), QStringLiteral("policy file larger than 1 MiB"));
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    const QString decoded = decoder.decode(yaml); // DecodedData is lazy: convert to decode
    if (decoder.hasError()) {
        reportAt(YAML::Mark::null_mark(), QString(), QStringLiteral("policy file is not valid UTF-8"));
        return std::nullopt;
    }
    try {
        std::istringstream stream(yaml.toStdString());
        YAML::Parser parser(stream);
        StructureCheck check(*this, yaml);
        while (!check.failed && parser.HandleNextDocument(check)) {
        }
        if (check.failed)
            return std::nullopt;
        m_text = yaml;
        return YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        reportAt(e.mark, QString(), QStringLiteral("YAML syntax error: ") + QString::fromStdString(e.msg));
    }
    return std::nullopt;
}

void YamlReader::reportAt(const YAML::Mark &mark, const QString &path, const QString &message) {
    PolicyProblem problem;
    if (!mark.is_null() && mark.line >= 0 && mark.column >= 0) {
        problem.line = mark.line + 1;
        problem.column = mark.column + 1;
    }
    problem.path = path;
    problem.message = message;
    m_problems.append(problem);
}

void YamlReader::report(const Field &field, const QString &path, const QString &message) {
    // A null value's mark points at the next token, often on a later line: use the key's, or
    // for a list item the '-' before it.
    if (!isNull(field.value)) {
        reportAt(field.value.Mark(), path, message);
    } else if (!isNull(field.key)) {
        reportAt(field.key.Mark(), path, message);
    } else {
        reportAt(indicatorBefore(field.value.IsDefined() ? field.value.Mark() : YAML::Mark::null_mark()), path,
                 message);
    }
}

YAML::Mark YamlReader::indicatorBefore(const YAML::Mark &mark) const {
    if (mark.is_null() || mark.pos <= 0 || mark.pos > m_text.size())
        return mark;
    qsizetype i = mark.pos - 1;
    while (i > 0 && (m_text[i] == ' ' || m_text[i] == '\t' || m_text[i] == '\n' || m_text[i] == '\r'))
        --i;
    if (m_text[i] != '-' && m_text[i] != ':' && m_text[i] != ',' && m_text[i] != '[')
        return mark;
    YAML::Mark at = mark;
    at.pos = int(i);
    at.line = mark.line - int(m_text.sliced(i, mark.pos - i).count('\n'));
    at.column = int(i - (m_text.lastIndexOf('\n', i) + 1));
    return at;
}

bool YamlReader::checkTag(const Field &field, const QString &path) {
    const std::string &tag = field.value.Tag();
    if (tag.empty() || tag == "?" || tag == "!")
        return true;
    report(field, path, QStringLiteral("YAML tags are not supported"));
    return false;
}

std::optional<YamlReader::Fields> YamlReader::map(const Field &field, const QString &path, const QStringList &known) {
    if (!field.value.IsMap()) {
        report(field, path, QStringLiteral("expected a map"));
        return std::nullopt;
    }
    if (!checkTag(field, path))
        return std::nullopt;
    Fields fields;
    QHash<QString, int> firstLine;
    for (auto it = field.value.begin(); it != field.value.end(); ++it) {
        const Field entry{it->first, it->second};
        if (!it->first.IsScalar() || it->first.Tag() != "?") {
            reportAt(it->first.Mark(), path, QStringLiteral("keys must be plain names"));
            continue;
        }
        const QString key = fromUtf8Exact(it->first.Scalar());
        const QString childPath = keyPath(path, key);
        const int line = it->first.Mark().line + 1;
        if (firstLine.contains(key)) {
            reportAt(it->first.Mark(), childPath,
                     QStringLiteral("duplicate key (first at line %1)").arg(firstLine.value(key)));
            continue;
        }
        firstLine.insert(key, line);
        if (!known.contains(key)) {
            reportAt(it->first.Mark(), childPath,
                     QStringLiteral("unknown key (expected one of: %1)").arg(known.join(QStringLiteral(", "))));
            continue;
        }
        fields.insert(key, entry);
    }
    return fields;
}

std::optional<QList<YamlReader::Field>> YamlReader::sequence(const Field &field, const QString &path) {
    if (!field.value.IsSequence()) {
        report(field, path, QStringLiteral("expected a list"));
        return std::nullopt;
    }
    if (!checkTag(field, path))
        return std::nullopt;
    QList<Field> items;
    for (const YAML::Node &item : field.value)
        items.append(Field{item, item});
    return items;
}

std::optional<QString> YamlReader::string(const Field &field, const QString &path) {
    if (isNull(field.value) || !field.value.IsScalar()) {
        report(field, path, QStringLiteral("expected a string"));
        return std::nullopt;
    }
    if (!checkTag(field, path))
        return std::nullopt;
    return fromUtf8Exact(field.value.Scalar());
}

std::optional<bool> YamlReader::boolean(const Field &field, const QString &path) {
    if (!isNull(field.value) && field.value.IsScalar() && field.value.Tag() == "?") {
        const std::string &s = field.value.Scalar();
        if (s == "true" || s == "True" || s == "TRUE")
            return true;
        if (s == "false" || s == "False" || s == "FALSE")
            return false;
    }
    report(field, path, QStringLiteral("expected true or false"));
    return std::nullopt;
}

std::optional<qint64> YamlReader::integer(const Field &field, const QString &path, qint64 min, qint64 max) {
    const QString range = QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max);
    if (isNull(field.value) || !field.value.IsScalar() || field.value.Tag() != "?") {
        report(field, path, QStringLiteral("expected an integer; ") + range);
        return std::nullopt;
    }
    const QString text = fromUtf8Exact(field.value.Scalar());
    bool digits = !text.isEmpty();
    for (qsizetype i = 0; i < text.size(); ++i)
        digits = digits && ((text[i] >= u'0' && text[i] <= u'9') || (i == 0 && text[i] == u'-' && text.size() > 1));
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!digits || !ok) {
        report(field, path, QStringLiteral("expected an integer; ") + range);
        return std::nullopt;
    }
    if (value < min || value > max) {
        report(field, path, range);
        return std::nullopt;
    }
    return value;
}

} // namespace airlock
