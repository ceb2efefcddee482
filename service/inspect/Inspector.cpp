#include "inspect/Inspector.h"

#include "inspect/Normalizer.h"
#include "inspect/RuleSet.h"

#include "inspect/Decode.h"
#include "inspect/OffThread.h"

#include <QMap>

#include <algorithm>
#include <cstring>
#include <exception>
#include <future>

namespace airlock {

namespace {
// Views this large are checked for looking binary even when the Normalizer did not say so
// (a compressed body's raw bytes, a multipart body with a binary part).
constexpr qsizetype kBinaryCheckBytes = 64 * 1024;

// The prescanned blocks of body, when they were made with ruleSet from the bytes body starts with.
const PrescannedBlocks *usable(const PrescannedBody *prescan, const RuleSet *ruleSet, const QByteArray &body) {
    if (!prescan || prescan->rules.get() != ruleSet || prescan->blocks.upTo == 0)
        return nullptr;
    const size_t upTo = prescan->blocks.upTo;
    if (upTo > size_t(prescan->prefix.size()) || upTo > size_t(body.size()))
        return nullptr;
    if (body.constData() != prescan->prefix.constData() &&
        std::memcmp(body.constData(), prescan->prefix.constData(), upTo) != 0)
        return nullptr;
    return &prescan->blocks;
}
// The binary passes made ahead over body's first lines, when body starts with those bytes.
const BinaryPasses *binaryUsable(const PrescannedBody *prescan, const QByteArray &body) {
    if (!prescan || prescan->binary.upTo <= 0)
        return nullptr;
    const qsizetype upTo = prescan->binary.upTo;
    if (upTo > prescan->prefix.size() || upTo > body.size() || prescan->prefix.at(upTo - 1) != '\n')
        return nullptr; // the passes end after a line break, or were not made as they must be
    if (body.constData() != prescan->prefix.constData() &&
        std::memcmp(body.constData(), prescan->prefix.constData(), size_t(upTo)) != 0)
        return nullptr;
    return &prescan->binary;
}
} // namespace

Inspector::Inspector(InspectLimits limits)
    : m_limits(limits) {}

Inspector::~Inspector() = default;

std::shared_ptr<const RuleSet> Inspector::rulesFor(const ContentRules &rules, QString *error) const {
    {
        const std::lock_guard lock(m_cacheMutex);
        for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
            if (it->first == rules) {
                std::rotate(m_cache.begin(), it, it + 1);
                return m_cache.front().second;
            }
        }
    }
    // Compiled outside the lock: other requests go on being inspected meanwhile. Two threads
    // may compile the same rules once each; one result is kept.
    std::shared_ptr<const RuleSet> set = RuleSet::build(rules, error);
    if (!set)
        return nullptr;
    const std::lock_guard lock(m_cacheMutex);
    for (const auto &[cachedRules, cachedSet] : m_cache)
        if (cachedRules == rules)
            return cachedSet;
    m_cache.insert(m_cache.begin(), {rules, set});
    if (m_cache.size() > kCachedRuleSets)
        m_cache.pop_back();
    return set;
}

InspectionResult Inspector::inspect(const CanonicalUrl &url, const HeaderList &headers, const QByteArray &body,
                                    const ContentRules &rules, const PrescannedBody *prescan) const {
    InspectionResult result;
    QString error;
    const std::shared_ptr<const RuleSet> ruleSet = rulesFor(rules, &error);
    if (!ruleSet) {
        result.uninspectable = true;
        result.reason = QStringLiteral("content rules do not compile");
        return result;
    }

    // Every thread working on this request draws on one budget; the budget outlives the raw
    // scan's thread (its future is waited for, or destroyed, which waits, before returning).
    auto budget = std::make_shared<WorkBudget>(m_limits.maxCpuMillis);
    WorkMeter meter(budget.get());
    const auto engineFailed = [&result, &budget] {
        result.uninspectable = true;
        result.reason =
            budget->spent() ? QStringLiteral("work budget: CPU time") : QStringLiteral("the matching engine failed");
        result.findings.clear();
        return result;
    };

    // A large body's raw bytes are the biggest single scan and do not depend on decoding:
    // they are scanned on a second thread meanwhile. The result is used in view order below,
    // exactly as if scanned here.
    struct RawScan {
        bool ok = true;
        QList<Finding> findings;
    };
    std::future<RawScan> rawScan;
    if (m_limits.parallelBodyBytes > 0 && body.size() >= m_limits.parallelBodyBytes) {
        // No thread to be had: the raw body is scanned here with the other views.
        rawScan = startOffThread([ruleSet, body, prescan, budget] {
            WorkMeter rawMeter(budget.get());
            RawScan r;
            r.ok = ruleSet->scan(body, QStringLiteral("body"), &r.findings, decode::looksBinary(body),
                                 usable(prescan, ruleSet.get(), body), &rawMeter);
            return r;
        });
    }

    const Normalizer normalizer(m_limits, &meter);
    NormalizeResult views;

    // The host too: under a wildcard entry its labels are the caller's to choose, and they
    // leave in the DNS query and the TLS server name.
    QByteArray urlText = url.host.toUtf8() + url.path.toUtf8();
    if (url.hasQuery)
        urlText += '?' + url.query.toUtf8();
    normalizer.addText(urlText, QStringLiteral("url"), &views);

    // Header names are scanned as sent, on their own and first: a finding there is reported
    // as "header" without the name, which would otherwise carry the secret into the answer
    // and the audit record.
    QByteArray names;
    for (const auto &header : headers)
        names += header.first + '\n';
    normalizer.addText(names, QStringLiteral("header"), &views);

    // Repeated headers are joined, with ", " as they go out and without a separator, so a
    // secret split across them is seen whole either way.
    struct Joined {
        QByteArray name;
        QByteArray comma;
        QByteArray plain;
        int count = 0;
    };
    QMap<QByteArray, Joined> joined;
    QByteArray contentType;
    QByteArray contentEncoding;
    for (const auto &[name, value] : headers) {
        Joined &slot = joined[name.toLower()];
        if (slot.count++ > 0)
            slot.comma += ", ";
        slot.name = name;
        slot.comma += value;
        slot.plain += value;
    }
    for (auto it = joined.cbegin(); it != joined.cend(); ++it) {
        const QString where = QStringLiteral("header:") + QString::fromLatin1(it.key());
        normalizer.addText(it->name + ": " + it->comma, where, &views);
        if (it->count > 1)
            normalizer.addText(it->name + ": " + it->plain, where, &views);
        if (it.key() == "content-type")
            contentType = it->comma;
        else if (it.key() == "content-encoding")
            contentEncoding = it->comma;
    }
    // All header values joined in the order sent, without a separator: a secret split across two
    // header names (X-A: sk-ant-..., X-B: the rest) is seen whole. Reported as "header", without
    // a name, since it belongs to none.
    if (headers.size() > 1) {
        QByteArray values;
        for (const auto &header : headers)
            values += header.second;
        normalizer.addText(values, QStringLiteral("header"), &views);
    }
    const qsizetype rawBodyView = qsizetype(views.views.size());
    if (!body.isEmpty())
        normalizer.addBody(body, contentType, contentEncoding, &views, binaryUsable(prescan, body));

    if (views.uninspectable) {
        result.uninspectable = true;
        result.reason = views.reason;
        return result;
    }
    for (qsizetype i = 0; i < qsizetype(views.views.size()); ++i) {
        const TextView &view = views.views[size_t(i)];
        if (i == rawBodyView && rawScan.valid()) {
            RawScan raw;
            try {
                raw = rawScan.get();
            } catch (const std::exception &) { // bad_alloc on the scanning thread: not inspected
                raw.ok = false;
            }
            if (!raw.ok)
                return engineFailed();
            result.findings += raw.findings;
            if (!result.findings.isEmpty())
                break;
            continue;
        }
        // Text that looks binary holds chance matches: the rules ask more of it.
        const bool binary = view.binary || (view.text.size() >= kBinaryCheckBytes && decode::looksBinary(view.text));
        const PrescannedBlocks *done = i == rawBodyView ? usable(prescan, ruleSet.get(), view.text) : nullptr;
        if (!ruleSet->scan(view.text, view.where, &result.findings, binary, done, &meter))
            return engineFailed();
        if (!result.findings.isEmpty())
            break;
    }
    return result;
}

} // namespace airlock
