#include "policy/PolicyYaml.h"

#include <QList>
#include <QRegularExpression>

namespace airlock {

namespace {

// Plain when that cannot be misread (a host, a URL, a method, a group); double-quoted with
// escapes otherwise, so any string survives a round trip.
QByteArray scalar(const QString &value) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z][A-Za-z0-9._/-]*$"));
    static const QRegularExpression reserved(QStringLiteral("^(?i:true|false|yes|no|on|off|y|n|null)$"));
    if (plain.match(value).hasMatch() && !reserved.match(value).hasMatch())
        return value.toUtf8();
    QByteArray out("\"");
    for (char32_t c : value.toUcs4()) {
        if (c == U'"' || c == U'\\') {
            out.append('\\');
            out.append(char(c));
        } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
                   (c >= 0xD800 && c <= 0xDFFF)) {
            out.append(QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0')).toLatin1());
        } else {
            out.append(QString::fromUcs4(&c, 1).toUtf8());
        }
    }
    out.append('"');
    return out;
}

QByteArray flowList(const QStringList &items) {
    QByteArray out("[");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.append(", ");
        out.append(scalar(items[i]));
    }
    return out + ']';
}

QByteArray boolean(bool value) {
    return value ? "true" : "false";
}

void writeDestinations(QByteArray &out, const QList<AllowEntry> &entries) {
    if (entries.isEmpty()) {
        out.append("  allowed_destinations: []\n");
        return;
    }
    out.append("  allowed_destinations:\n");
    for (const AllowEntry &entry : entries) {
        if (entry.methods.isEmpty() && entry.via.isEmpty()) {
            out.append("    - " + scalar(entry.text()) + '\n');
            continue;
        }
        out.append("    - { host: " + scalar(entry.text()));
        if (!entry.methods.isEmpty())
            out.append(", methods: " + flowList(entry.methods));
        if (entry.via.size() == 1)
            out.append(", via: " + scalar(entry.via.first()));
        else if (!entry.via.isEmpty())
            out.append(", via: " + flowList(entry.via));
        out.append(" }\n");
    }
}

void writeContentRules(QByteArray &out, const ContentRules &rules) {
    out.append("  content_rules:\n");
    out.append("    scan_for_pii: " + boolean(rules.scanForPii) + '\n');
    out.append("    scan_for_credentials: " + boolean(rules.scanForCredentials) + '\n');
    if (rules.blockIfContains.isEmpty()) {
        out.append("    block_if_contains: []\n");
    } else {
        out.append("    block_if_contains:\n");
        for (const QString &literal : rules.blockIfContains)
            out.append("      - " + scalar(literal) + '\n');
    }
    if (rules.customPatterns.isEmpty())
        return;
    out.append("    custom_patterns:\n");
    for (const CustomPattern &pattern : rules.customPatterns) {
        out.append("      - id: " + scalar(pattern.id) + '\n');
        out.append("        kind: " + scalar(pattern.kind) + '\n');
        out.append("        regex: " + scalar(pattern.regex) + '\n');
    }
}

void writeCredentials(QByteArray &out, const QList<CredentialAllowEntry> &entries) {
    if (entries.isEmpty()) {
        out.append("  credential_allowlist: []\n");
        return;
    }
    out.append("  credential_allowlist:\n");
    for (const CredentialAllowEntry &entry : entries) {
        out.append("    - { destination: " + scalar(entry.destination) + ", header: " + scalar(entry.header) +
                   ", sha256: \"" + entry.sha256.toHex() + "\" }\n");
    }
}

} // namespace

QByteArray policyToYaml(const Policy &p) {
    QByteArray out("# Secure AI Airlock policy.\nairlock:\n");
    out.append("  enabled: " + boolean(p.enabled) + '\n');
    writeDestinations(out, p.allowedDestinations);
    out.append("  allowed_methods: " + flowList(p.allowedMethods) + '\n');
    out.append("  max_body_size: " + QByteArray::number(p.maxBodySize) + '\n');
    out.append("  max_response_size: " + QByteArray::number(p.maxResponseSize) + '\n');
    out.append("  rate_limit:\n    requests_per_minute: " + QByteArray::number(p.requestsPerMinute) + '\n');
    out.append("    upload_bytes_per_hour: " + QByteArray::number(p.uploadBytesPerHour) + '\n');
    writeContentRules(out, p.contentRules);
    writeCredentials(out, p.credentialAllowlist);
    out.append("  admin:\n    group: " + scalar(p.admin.group) + '\n');
    out.append("    viewer_group: " + scalar(p.admin.viewerGroup) + '\n');
    out.append("  pulls:\n    max_parallel: " + QByteArray::number(p.pulls.maxParallel) + '\n');
    out.append("    max_active: " + QByteArray::number(p.pulls.maxActive) + '\n');
    out.append("  audit:\n    max_file_bytes: " + QByteArray::number(p.audit.maxFileBytes) + '\n');
    out.append("    keep_files: " + QByteArray::number(p.audit.keepFiles) + '\n');
    return out;
}

} // namespace airlock
