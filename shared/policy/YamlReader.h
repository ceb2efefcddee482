#pragma once

#include "policy/PolicyYaml.h"

#include <yaml-cpp/yaml.h>

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace airlock {

// Strictly typed access to a yaml-cpp document that records every problem with its line and
// column instead of throwing or guessing. Scalars are only what they look like: an integer
// or a boolean must be written plain, never quoted; null, a list or a map where a scalar is
// expected is an error. Internal to shared/policy.
class YamlReader {
public:
    // A value together with the key that introduced it, so a missing value (`key:` followed
    // by nothing) can be reported at its key. For list items key == value.
    struct Field {
        YAML::Node key;
        YAML::Node value;
    };
    using Fields = QHash<QString, Field>;

    // Parses one document. Returns nullopt (with problems recorded) on a syntax error, more
    // than one document, anchors or aliases, invalid UTF-8 or an oversized file.
    std::optional<YAML::Node> load(const QByteArray &yaml);

    // Reports a non-map, non-scalar keys, unknown keys and duplicate keys; returns the known ones.
    std::optional<Fields> map(const Field &field, const QString &path, const QStringList &known);
    std::optional<QList<Field>> sequence(const Field &field, const QString &path);
    std::optional<QString> string(const Field &field, const QString &path);
    std::optional<bool> boolean(const Field &field, const QString &path);
    std::optional<qint64> integer(const Field &field, const QString &path, qint64 min, qint64 max);

    void report(const Field &field, const QString &path, const QString &message);
    void reportAt(const YAML::Mark &mark, const QString &path, const QString &message);

    const QList<PolicyProblem> &problems() const { return m_problems; }

private:
    bool checkTag(const Field &field, const QString &path);
    YAML::Mark indicatorBefore(const YAML::Mark &mark) const;

    QByteArray m_text;
    QList<PolicyProblem> m_problems;
};

// "airlock.allowed_destinations" + 2 -> "airlock.allowed_destinations[2]"
inline QString indexPath(const QString &path, qsizetype index) {
    return path + u'[' + QString::number(index) + u']';
}

inline QString keyPath(const QString &path, const QString &key) {
    return path.isEmpty() ? key : path + u'.' + key;
}

} // namespace airlock
