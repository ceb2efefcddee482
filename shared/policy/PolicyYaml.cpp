#include "policy/PolicyYaml.h"

#include "policy/AllowEntryParser.h"
#include "policy/YamlReader.h"
#include "url/CanonicalUrl.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <limits>

namespace airlock {

namespace {

using Field = YamlReader::Field;

constexpr qint64 kMaxBodyLimit = qint64(1) << 30;
constexpr qint64 kMinAuditFileBytes = 65536;

class PolicyReader {
public:
    explicit PolicyReader(YamlReader &reader)
        : r(reader) {}

    void readAirlock(const Field &field, Policy &p) {
        const QString path = QStringLiteral("airlock");
        const auto fields =
            r.map(field, path,
                  {QStringLiteral("enabled"), QStringLiteral("allowed_destinations"), QStringLiteral("allowed_methods"),
                   QStringLiteral("max_body_size"), QStringLiteral("max_response_size"), QStringLiteral("rate_limit"),
                   QStringLiteral("content_rules"), QStringLiteral("credential_allowlist"), QStringLiteral("admin"),
                   QStringLiteral("pulls"), QStringLiteral("audit")});
        if (!fields)
            return;
        const auto has = [&](const char *key) {
            return fields->contains(QLatin1String(key));
        };
        const auto at = [&](const char *key) {
            return fields->value(QLatin1String(key));
        };
        const auto child = [&](const char *key) {
            return keyPath(path, QLatin1String(key));
        };
        if (has("enabled"))
            assign(p.enabled, r.boolean(at("enabled"), child("enabled")));
        if (has("allowed_destinations"))
            readDestinations(at("allowed_destinations"), child("allowed_destinations"), p);
        if (has("allowed_methods"))
            assign(p.allowedMethods, readMethods(at("allowed_methods"), child("allowed_methods"), true));
        if (has("max_body_size"))
            assign(p.maxBodySize, r.integer(at("max_body_size"), child("max_body_size"), 1, kMaxBodyLimit));
        if (has("max_response_size"))
            assign(p.maxResponseSize, r.integer(at("max_response_size"), child("max_response_size"), 0,
                                                std::numeric_limits<qint64>::max()));
        if (has("rate_limit"))
            readRateLimit(at("rate_limit"), child("rate_limit"), p);
        if (has("content_rules"))
            readContentRules(at("content_rules"), child("content_rules"), p.contentRules);
        if (has("credential_allowlist"))
            readCredentials(at("credential_allowlist"), child("credential_allowlist"), p);
        if (has("admin"))
            readAdmin(at("admin"), child("admin"), p.admin);
        if (has("pulls"))
            readPulls(at("pulls"), child("pulls"), p.pulls);
        if (has("audit"))
            readAudit(at("audit"), child("audit"), p.audit);
    }

private:
    template <typename T, typename U> static void assign(T &target, const std::optional<U> &value) {
        if (value)
            target = static_cast<T>(*value);
    }

    std::optional<QStringList> readMethods(const Field &field, const QString &path, bool mayBeEmpty) {
        const auto items = r.sequence(field, path);
        if (!items)
            return std::nullopt;
        if (items->isEmpty() && !mayBeEmpty) {
            r.report(field, path, QStringLiteral("must not be empty; leave it out to use allowed_methods"));
            return std::nullopt;
        }
        QStringList methods;
        bool ok = true;
        for (qsizetype i = 0; i < items->size(); ++i) {
            const QString itemPath = indexPath(path, i);
            const auto text = r.string(items->at(i), itemPath);
            if (!text) {
                ok = false;
                continue;
            }
            const QString method = canonicalMethod(*text);
            if (method.isEmpty()) {
                r.report(items->at(i), itemPath,
                         QStringLiteral("unknown method (expected GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)"));
                ok = false;
            } else if (methods.contains(method)) {
                r.report(items->at(i), itemPath, QStringLiteral("duplicate method ") + method);
                ok = false;
            } else {
                methods.append(method);
            }
        }
        return ok ? std::optional(methods) : std::nullopt;
    }

    std::optional<AllowEntry> readDestination(const Field &item, const QString &path) {
        Field hostField = item;
        QString hostPath = path;
        std::optional<QStringList> methods;
        std::optional<QStringList> via;
        if (item.value.IsMap()) {
            const auto fields =
                r.map(item, path, {QStringLiteral("host"), QStringLiteral("methods"), QStringLiteral("via")});
            if (!fields)
                return std::nullopt;
            if (!fields->contains(QStringLiteral("host"))) {
                r.report(item, path, QStringLiteral("missing key 'host'"));
                return std::nullopt;
            }
            hostField = fields->value(QStringLiteral("host"));
            hostPath = keyPath(path, QStringLiteral("host"));
            if (fields->contains(QStringLiteral("methods"))) {
                methods = readMethods(fields->value(QStringLiteral("methods")),
                                      keyPath(path, QStringLiteral("methods")), false);
                if (!methods)
                    return std::nullopt;
            }
            if (fields->contains(QStringLiteral("via"))) {
                via = readVia(fields->value(QStringLiteral("via")), keyPath(path, QStringLiteral("via")));
                if (!via)
                    return std::nullopt;
            }
        } else if (!item.value.IsScalar()) {
            r.report(item, path, QStringLiteral("expected a host, a URL prefix or a map {host, methods, via}"));
            return std::nullopt;
        }
        const auto text = r.string(hostField, hostPath);
        if (!text)
            return std::nullopt;
        QString error;
        std::optional<AllowEntry> entry = parseAllowEntry(*text, &error);
        if (!entry) {
            r.report(hostField, hostPath, error);
            return std::nullopt;
        }
        if (methods)
            entry->methods = *methods;
        if (via)
            entry->via = *via;
        return entry;
    }

    // One origin ("via: registry.ollama.ai") or a list of them.
    std::optional<QStringList> readVia(const Field &field, const QString &path) {
        QStringList texts;
        if (field.value.IsScalar()) {
            const auto text = r.string(field, path);
            if (!text)
                return std::nullopt;
            texts.append(*text);
        } else {
            const auto items = r.sequence(field, path);
            if (!items)
                return std::nullopt;
            for (qsizetype i = 0; i < items->size(); ++i) {
                const auto text = r.string(items->at(i), indexPath(path, i));
                if (!text)
                    return std::nullopt;
                texts.append(*text);
            }
        }
        QString error;
        std::optional<QStringList> via = parseViaList(texts, &error);
        if (!via)
            r.report(field, path, error);
        return via;
    }

    void readDestinations(const Field &field, const QString &path, Policy &p) {
        const auto items = r.sequence(field, path);
        if (!items)
            return;
        QSet<QString> seen;
        for (qsizetype i = 0; i < items->size(); ++i) {
            const std::optional<AllowEntry> entry = readDestination(items->at(i), indexPath(path, i));
            if (!entry)
                continue;
            if (seen.contains(entry->text())) {
                r.report(items->at(i), indexPath(path, i), QStringLiteral("duplicate entry ") + entry->text());
                continue;
            }
            seen.insert(entry->text());
            p.allowedDestinations.append(*entry);
        }
    }

    void readRateLimit(const Field &field, const QString &path, Policy &p) {
        const auto fields =
            r.map(field, path, {QStringLiteral("requests_per_minute"), QStringLiteral("upload_bytes_per_hour")});
        if (fields && fields->contains(QStringLiteral("requests_per_minute"))) {
            assign(p.requestsPerMinute, r.integer(fields->value(QStringLiteral("requests_per_minute")),
                                                  keyPath(path, QStringLiteral("requests_per_minute")), 1, 100000));
        }
        if (fields && fields->contains(QStringLiteral("upload_bytes_per_hour"))) {
            assign(p.uploadBytesPerHour,
                   r.integer(fields->value(QStringLiteral("upload_bytes_per_hour")),
                             keyPath(path, QStringLiteral("upload_bytes_per_hour")), 1024, qint64(1) << 40));
        }
    }

    void readPulls(const Field &field, const QString &path, PullSettings &pulls) {
        const auto fields = r.map(field, path, {QStringLiteral("max_parallel"), QStringLiteral("max_active")});
        if (!fields)
            return;
        if (fields->contains(QStringLiteral("max_parallel")))
            assign(pulls.maxParallel, r.integer(fields->value(QStringLiteral("max_parallel")),
                                                keyPath(path, QStringLiteral("max_parallel")), 1, 16));
        if (fields->contains(QStringLiteral("max_active")))
            assign(pulls.maxActive, r.integer(fields->value(QStringLiteral("max_active")),
                                              keyPath(path, QStringLiteral("max_active")), 1, 8));
    }

    void readAudit(const Field &field, const QString &path, AuditSettings &audit) {
        const auto fields = r.map(field, path, {QStringLiteral("max_file_bytes"), QStringLiteral("keep_files")});
        if (!fields)
            return;
        if (fields->contains(QStringLiteral("max_file_bytes"))) {
            // 0 turns rotation off; otherwise at least a few records' worth.
            const auto bytes = r.integer(fields->value(QStringLiteral("max_file_bytes")),
                                         keyPath(path, QStringLiteral("max_file_bytes")), 0, qint64(1) << 40);
            if (bytes && *bytes > 0 && *bytes < kMinAuditFileBytes)
                r.report(fields->value(QStringLiteral("max_file_bytes")),
                         keyPath(path, QStringLiteral("max_file_bytes")),
                         QStringLiteral("must be 0 (no rotation) or at least %1").arg(kMinAuditFileBytes));
            else
                assign(audit.maxFileBytes, bytes);
        }
        if (fields->contains(QStringLiteral("keep_files")))
            assign(audit.keepFiles, r.integer(fields->value(QStringLiteral("keep_files")),
                                              keyPath(path, QStringLiteral("keep_files")), 1, 1000));
    }

    void readContentRules(const Field &field, const QString &path, ContentRules &rules);
    void readCredentials(const Field &field, const QString &path, Policy &p);
    void readAdmin(const Field &field, const QString &path, AdminSettings &admin);

    YamlReader &r;
};

void PolicyReader::readContentRules(const Field &field, const QString &path, ContentRules &rules) {
    const auto fields = r.map(field, path,
                              {QStringLiteral("scan_for_pii"), QStringLiteral("scan_for_credentials"),
                               QStringLiteral("block_if_contains"), QStringLiteral("custom_patterns")});
    if (!fields)
        return;
    const auto child = [&](const QString &key) {
        return keyPath(path, key);
    };
    for (const auto &[key, target] : {std::pair{QStringLiteral("scan_for_pii"), &rules.scanForPii},
                                      std::pair{QStringLiteral("scan_for_credentials"), &rules.scanForCredentials}}) {
        if (fields->contains(key))
            assign(*target, r.boolean(fields->value(key), child(key)));
    }
    if (const QString key = QStringLiteral("block_if_contains"); fields->contains(key)) {
        if (const auto items = r.sequence(fields->value(key), child(key))) {
            for (qsizetype i = 0; i < items->size(); ++i) {
                const auto text = r.string(items->at(i), indexPath(child(key), i));
                if (text && text->isEmpty())
                    r.report(items->at(i), indexPath(child(key), i), QStringLiteral("must not be empty"));
                else if (text)
                    rules.blockIfContains.append(*text);
            }
        }
    }
    const QString key = QStringLiteral("custom_patterns");
    if (!fields->contains(key))
        return;
    const auto items = r.sequence(fields->value(key), child(key));
    if (!items)
        return;
    QSet<QString> ids;
    for (qsizetype i = 0; i < items->size(); ++i) {
        const QString itemPath = indexPath(child(key), i);
        const QStringList names{QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("regex")};
        const auto pattern = r.map(items->at(i), itemPath, names);
        if (!pattern)
            continue;
        QStringList values;
        for (const QString &name : names) {
            if (!pattern->contains(name)) {
                r.report(items->at(i), itemPath, QStringLiteral("missing key '%1'").arg(name));
                continue;
            }
            const auto value = r.string(pattern->value(name), keyPath(itemPath, name));
            if (value && value->isEmpty())
                r.report(pattern->value(name), keyPath(itemPath, name), QStringLiteral("must not be empty"));
            else if (value)
                values.append(*value);
        }
        if (values.size() != names.size())
            continue;
        if (values[1] != QLatin1String("pii") && values[1] != QLatin1String("credential")) {
            r.report(pattern->value(names[1]), keyPath(itemPath, names[1]),
                     QStringLiteral("expected pii or credential"));
        } else if (ids.contains(values[0])) {
            r.report(pattern->value(names[0]), keyPath(itemPath, names[0]), QStringLiteral("duplicate id"));
        } else {
            ids.insert(values[0]);
            rules.customPatterns.append(CustomPattern{values[0], values[1], values[2]});
        }
    }
}

void PolicyReader::readCredentials(const Field &field, const QString &path, Policy &p) {
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    const auto items = r.sequence(field, path);
    if (!items)
        return;
    for (qsizetype i = 0; i < items->size(); ++i) {
        const QString itemPath = indexPath(path, i);
        const QStringList names{QStringLiteral("destination"), QStringLiteral("header"), QStringLiteral("sha256")};
        const auto fields = r.map(items->at(i), itemPath, names);
        if (!fields)
            continue;
        CredentialAllowEntry entry;
        bool ok = true;
        for (const QString &name : names) {
            if (!fields->contains(name)) {
                r.report(items->at(i), itemPath, QStringLiteral("missing key '%1'").arg(name));
                ok = false;
                continue;
            }
            const Field &valueField = fields->value(name);
            const QString valuePath = keyPath(itemPath, name);
            const auto value = r.string(valueField, valuePath);
            if (!value) {
                ok = false;
            } else if (name == names[0]) {
                QString error;
                const auto host = canonicalHost(*value, &error);
                if (!host)
                    r.report(valueField, valuePath, QStringLiteral("invalid destination host: ") + error);
                ok = ok && host;
                entry.destination = host.value_or(QString());
            } else if (name == names[1]) {
                const bool valid = token.match(*value).hasMatch();
                if (!valid)
                    r.report(valueField, valuePath, QStringLiteral("expected an HTTP header name"));
                ok = ok && valid;
                entry.header = value->toLower();
            } else {
                const bool valid = hex.match(*value).hasMatch();
                if (!valid)
                    r.report(valueField, valuePath, QStringLiteral("expected 64 hexadecimal digits"));
                ok = ok && valid;
                entry.sha256 = QByteArray::fromHex(value->toLatin1());
            }
        }
        if (ok)
            p.credentialAllowlist.append(entry);
    }
}

void PolicyReader::readAdmin(const Field &field, const QString &path, AdminSettings &admin) {
    static const QRegularExpression group(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]{0,31}$"));
    const auto fields = r.map(field, path, {QStringLiteral("group"), QStringLiteral("viewer_group")});
    if (!fields)
        return;
    for (const auto &[key, target, mayBeEmpty] :
         {std::tuple{QStringLiteral("group"), &admin.group, false},
          std::tuple{QStringLiteral("viewer_group"), &admin.viewerGroup, true}}) {
        if (!fields->contains(key))
            continue;
        const auto value = r.string(fields->value(key), keyPath(path, key));
        if (!value)
            continue;
        if ((value->isEmpty() && mayBeEmpty) || group.match(*value).hasMatch())
            *target = *value;
        else
            r.report(fields->value(key), keyPath(path, key), QStringLiteral("expected a Unix group name"));
    }
}

} // namespace

PolicyParseResult parsePolicyYaml(const QByteArray &yaml) {
    YamlReader reader;
    PolicyParseResult result;
    const std::optional<YAML::Node> root = reader.load(yaml);
    if (root && root->IsNull()) {
        reader.reportAt(YAML::Mark(), QString(), QStringLiteral("policy file is empty"));
    } else if (root) {
        Policy policy;
        const auto top = reader.map(Field{*root, *root}, QString(), {QStringLiteral("airlock")});
        if (top && !top->contains(QStringLiteral("airlock")))
            reader.report(Field{*root, *root}, QString(), QStringLiteral("missing key 'airlock'"));
        else if (top)
            PolicyReader(reader).readAirlock(top->value(QStringLiteral("airlock")), policy);
        if (reader.problems().isEmpty())
            result.policy = policy;
    }
    result.problems = reader.problems();
    // Checks run section by section; report in file order.
    std::stable_sort(result.problems.begin(), result.problems.end(), [](const auto &a, const auto &b) {
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return result;
}

} // namespace airlock
