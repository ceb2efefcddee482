#include "inspect/Normalizer.h"

#include "inspect/Decode.h"
#include "inspect/DecodeUtf8.h"
#include "inspect/OffThread.h"

#include <QList>
#include <QSet>

#include <algorithm>
#include <cstring>
#include <exception>
#include <future>
#include <unordered_map>
#include <vector>

namespace airlock {

namespace {

QByteArray mediaType(const QByteArray &contentType) {
    const qsizetype semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.left(semi)).trimmed().toLower();
}

QByteArray parameter(const QByteArray &contentType, const QByteArray &name) {
    const QList<QByteArray> parts = contentType.split(';');
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const qsizetype eq = parts[i].indexOf('=');
        if (eq < 0 || parts[i].left(eq).trimmed().toLower() != name)
            continue;
        QByteArray value = parts[i].mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

QByteArray withoutParameter(const QByteArray &contentType, const QByteArray &name) {
    QList<QByteArray> parts = contentType.split(';');
    parts.removeIf([&](const QByteArray &p) {
        const qsizetype eq = p.indexOf('=');
        return eq >= 0 && p.left(eq).trimmed().toLower() == name;
    });
    return parts.join(';');
}

char firstNonSpace(const QByteArray &t) {
    const QByteArray text = t.startsWith("\xEF\xBB\xBF") ? QByteArray::fromRawData(t.constData() + 3, t.size() - 3) : t;
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c;
    }
    return 0;
}

// "a=1&b=x%20y": printable ASCII without spaces, with at least one '='.
bool looksLikeForm(const QByteArray &t) {
    // Trimmed as QByteArray::trimmed() does (ASCII white space), without copying the body.
    auto space = [](char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    };
    QByteArrayView body(t);
    while (!body.isEmpty() && space(body.front()))
        body = body.sliced(1);
    while (!body.isEmpty() && space(body.back()))
        body.chop(1);
    if (body.size() < 2 || body.front() == '=' || !body.contains('='))
        return false;
    for (const char c : body) {
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '{' || c == '<')
            return false;
    }
    return true;
}

// One addText/addBody call: the views it produces share the request's limits, and a view
// equal to one produced earlier in the same call is not added twice.
class Pass {
public:
    Pass(const InspectLimits &limits, WorkMeter *meter, NormalizeResult *out, QString where)
        : m_limits(limits)
        , m_meter(meter)
        , m_out(out)
        , m_where(std::move(where)) {
        for (const TextView &v : out->views)
            m_total += v.text.size();
    }

    bool failed() const { return m_out->uninspectable; }

    // False when the view is not new (or a limit was reached): nothing more to do with it.
    bool add(const QByteArray &text, int depth, bool binary = false) {
        if (failed())
            return false;
        if (depth > m_limits.maxDepth)
            return fail(QStringLiteral("decoding limit: depth"));
        if (qsizetype(m_out->views.size()) >= m_limits.maxViews)
            return fail(QStringLiteral("decoding limit: view count"));
        if (m_total + text.size() > m_limits.maxTotalBytes)
            return fail(QStringLiteral("decoding limit: total size"));
        // Each view cost work in proportion to its size to make, and will cost more to match.
        if (m_meter && !m_meter->tick(text.size()))
            return fail(QStringLiteral("work budget: CPU time"));
        std::vector<qsizetype> &sameSize = m_bySize[text.size()];
        for (const qsizetype index : sameSize) {
            if (m_out->views[index].text == text)
                return false;
        }
        sameSize.push_back(qsizetype(m_out->views.size()));
        m_out->views.push_back({text, m_where, binary});
        m_total += text.size();
        return true;
    }

    // Inflates under the request's limits; a malformed stream or a limit is a refusal. The
    // output is bounded by what is left of the request's total too: every stream and part
    // draws on one allowance, so no inflating is done that could not become a view.
    bool inflate(const QByteArray &in, decode::Coding coding, QByteArray *out, qsizetype *consumed = nullptr) {
        if (failed())
            return false;
        const qint64 left = qMax<qint64>(m_limits.maxTotalBytes - m_total, 0);
        const qint64 cap = qMin(m_limits.maxInflatedBytes, left);
        const decode::InflateStatus status = decode::inflate(in, coding, cap, m_limits.maxInflateRatio, out, consumed);
        if (m_meter && !m_meter->tick(in.size() + out->size()))
            return fail(QStringLiteral("work budget: CPU time"));
        switch (status) {
        case decode::InflateStatus::Ok:
            return true;
        case decode::InflateStatus::Malformed:
            return fail(QStringLiteral("malformed compressed body"));
        case decode::InflateStatus::TooLarge:
            return fail(cap < m_limits.maxInflatedBytes ? QStringLiteral("decoding limit: total size")
                                                        : QStringLiteral("decoding limit: inflated size"));
        case decode::InflateStatus::TooCompressed:
            return fail(QStringLiteral("decoding limit: inflate ratio"));
        }
        return fail(QStringLiteral("malformed compressed body"));
    }

    // Each segment of a URL's path on its own, for base64/base64url segments: '/' is in the
    // base64 alphabet, so in the whole URL a segment runs into its neighbours and loses its
    // alignment. (The query's values are delimited by '=' and '&' and need no help.)
    void pathSegments(const QByteArray &url) {
        const qsizetype slash = url.indexOf('/');
        if (slash < 0)
            return;
        qsizetype end = url.indexOf('?', slash);
        if (end < 0)
            end = url.size();
        QByteArray segments = url.mid(slash + 1, end - slash - 1);
        if (segments.size() < 16)
            return;
        segments.replace('/', '\n');
        runs(segments, 0);
    }

    bool fail(const QString &reason) {
        if (!m_out->uninspectable) {
            m_out->uninspectable = true;
            m_out->reason = reason;
        }
        return false;
    }

    // t is already visible (a view or part of one). Adds the views the text layers make of
    // it: each round percent-decodes once, resolves entities and cleans Unicode in every line
    // that needs it, and its view holds the lines it changed; rounds go on until nothing
    // changes. Still changing at maxDepth is a refusal, so an encoding one
    // level deeper than the limit cannot slip through.
    void text(const QByteArray &t, int depth, qsizetype plusFrom) {
        runs(t, depth);
        QByteArray qp;
        if (decode::quotedPrintableLines(t, &qp) && add(qp, depth + 1))
            text(qp, depth + 1, -1);
        addresses(t, depth);
        QByteArray current = t;
        int d = depth;
        bool moved = false;
        while (!failed()) {
            QByteArray next;
            if (!round(current, plusFrom, &next))
                break;
            plusFrom = -1; // a '+' that survived one decoding was sent as %2B
            if (!add(next, ++d))
                return;
            addresses(next, d);
            current = std::move(next);
            moved = true;
        }
        // Decoding can join base64 that percent-encoding split ("%2B", "%3D").
        if (moved)
            runs(current, d);
    }

    // Addresses the e-mail rule cannot see as they are written: spelled out ("[at]", " dot ")
    // or with non-ASCII letters (IDN), each made a view of addresses it can see.
    void addresses(const QByteArray &t, int depth) {
        QByteArray folded;
        if (decode::spelledAddresses(t, &folded) && add(folded, depth + 1))
            text(folded, depth + 1, -1);
        QByteArray ascii;
        if (!failed() && decode::idnAddresses(t, &ascii))
            add(ascii, depth + 1);
    }

    // Body-like content (the body, a decompressed body, a multipart part or its decoded
    // transfer encoding): structure first, text layers on what the structure yields.
    void content(const QByteArray &t, const QByteArray &contentType, int depth, const BinaryPasses *ahead = nullptr) {
        if (failed() || t.isEmpty())
            return;
        const QByteArray type = mediaType(contentType);
        // A compressed stream is inflated whether or not a header says so: the header is the
        // client's word, the magic bytes (1f 8b 08, 78 9C, BZh, PK 03 04) are the content's. Each
        // is a layer. What cannot be inflated is a refusal.
        if (const decode::Magic magic = decode::compressedMagic(t.constData(), t.size());
            magic != decode::Magic::None) {
            compressed(t, magic, contentType, depth);
            return;
        }
        // A zip archive after other bytes (one byte, a self-extracting stub) is still read by
        // unzip and Python, which find it from its end. What comes before it is content as well.
        bool archive = false;
        if (decode::ZipDirectory dir; decode::zipDirectory(t, &dir)) {
            archive = true;
            zip(t, depth);
            if (failed())
                return;
        }
        if (type.startsWith("multipart/") && multipart(t, contentType, depth))
            return;
        wide(t, contentType, depth);
        const char first = firstNonSpace(t);
        if (type.contains("json") || first == '{' || first == '[') {
            QByteArray lines;
            const decode::JsonStatus status = decode::jsonLines(t, m_limits.maxJsonDepth, &lines);
            if (status == decode::JsonStatus::TooDeep) {
                fail(QStringLiteral("decoding limit: JSON depth"));
                return;
            }
            if (status == decode::JsonStatus::Ok) {
                // The raw body shows every unescaped string as it is; the lines view holds
                // the rest (decoded escapes, what the text layers decode, split key/values).
                runs(t, depth);
                if (!lines.isEmpty() && add(lines, depth + 1))
                    text(lines, depth + 1, -1);
                return;
            }
        }
        const bool form = type == "application/x-www-form-urlencoded" ||
                          ((type.isEmpty() || type == "text/plain") && looksLikeForm(t));
        if (form && (t.contains('%') || t.contains('+'))) {
            QByteArray lines;
            decode::formLines(t, &lines);
            if (add(lines, depth + 1))
                text(lines, depth + 1, -1);
            return;
        }
        const bool binary =
            ahead
                ? (ahead->controls + decode::controlBytes(t.constData() + ahead->upTo, t.size() - ahead->upTo)) * 100 >
                      t.size() * 3
                : decode::looksBinary(t);
        if (binary) {
            for (TextView &v : m_out->views) {
                if (v.text.constData() == t.constData() && v.text.size() == t.size())
                    v.binary = true;
            }
            // Members with no directory, after other bytes: the first local header, when it is
            // a whole one (by chance four bytes are often there, a valid header hardly ever).
            const qsizetype header = archive ? -1 : t.indexOf(QByteArrayView("PK\x03\x04", 4));
            if (header > 0) {
                if (decode::ZipEntry entry; decode::zipEntry(t, header, &entry) == decode::ZipStatus::Ok) {
                    zip(t, depth, header);
                    if (failed())
                        return;
                }
            }
            if (ahead || (m_limits.parallelBodyBytes > 0 && t.size() >= m_limits.parallelBodyBytes)) {
                BinaryPasses none;
                none.maxJsonDepth = m_limits.maxJsonDepth;
                binaryFrom(t, depth, ahead ? *ahead : none);
                return;
            }
            runs(t, depth);
            binaryRounds(t, depth);
            return;
        }
        text(t, depth, -1);
    }

private:
    // A compressed stream (magic at its start) or a zip archive, inflated under the limits.
    void compressed(const QByteArray &t, decode::Magic magic, const QByteArray &contentType, int depth) {
        if (magic == decode::Magic::Zip) {
            zip(t, depth);
            return;
        }
        const decode::Coding coding = magic == decode::Magic::Gzip    ? decode::Coding::Gzip
                                      : magic == decode::Magic::Bzip2 ? decode::Coding::Bzip2
                                                                      : decode::Coding::Deflate;
        QByteArray inflated;
        if (inflate(t, coding, &inflated) && add(inflated, depth + 1))
            content(inflated, contentType, depth + 1);
    }

    // Each member of a zip archive, stored or deflated, is content of its own; the member names
    // are one more view. The central directory after the members repeats the names (the raw
    // view holds it). A member that cannot be looked into is a refusal. Readers disagree on
    // where members are: unzip and Python go by the central directory, streaming readers by the
    // local headers one after the other. Both are walked. Every entry of the directory must agree
    // with the local header it points at (a header saying "stored" over deflated bytes would
    // have them scanned as they are); an entry pointing where the local walk did not go (into a
    // stored member's data) is a member as well. from is where the local walk starts.
    void zip(const QByteArray &t, int depth, qsizetype from = 0) {
        QByteArray names;
        int members = 0;
        const auto refuse = [this](decode::ZipStatus status) {
            fail(status == decode::ZipStatus::Encrypted     ? QStringLiteral("encrypted archive member")
                 : status == decode::ZipStatus::Unsupported ? QStringLiteral("unsupported archive method")
                                                            : QStringLiteral("malformed archive"));
        };
        decode::ZipDirectory dir;
        QList<decode::ZipCentral> listed;
        if (decode::zipDirectory(t, &dir)) {
            if (dir.zip64) {
                refuse(decode::ZipStatus::Unsupported);
                return;
            }
            if (dir.entries > m_limits.maxArchiveMembers) {
                fail(QStringLiteral("decoding limit: archive members"));
                return;
            }
            qsizetype pos = dir.centralStart;
            for (int i = 0; i < dir.entries; ++i) {
                decode::ZipCentral central;
                decode::ZipEntry local;
                decode::ZipStatus status = decode::zipCentralEntry(t, dir, pos, &central);
                if (status == decode::ZipStatus::Ok)
                    status = decode::zipListedEntry(t, central, &local);
                if (status != decode::ZipStatus::Ok) {
                    refuse(status);
                    return;
                }
                listed.append(central);
                pos = central.next;
            }
            // A directory holding more than its record counts is read differently by each reader.
            if (pos != dir.centralEnd) {
                refuse(decode::ZipStatus::Malformed);
                return;
            }
            if (!t.startsWith("PK\x03\x04")) {
                from = listed.first().localHeader;
                for (const decode::ZipCentral &central : listed)
                    from = qMin(from, central.localHeader);
            }
        }
        QSet<qsizetype> walked;
        const auto scan = [&](const decode::ZipEntry &entry, qsizetype available, qsizetype *used) {
            if (++members > m_limits.maxArchiveMembers) {
                fail(QStringLiteral("decoding limit: archive members"));
                return false;
            }
            names.append(entry.name).append('\n');
            const QByteArray data = QByteArray::fromRawData(t.constData() + entry.dataStart, available);
            QByteArray member;
            *used = available;
            if (entry.method == 0) {
                member = QByteArray(data.constData(), data.size()); // a view owns its bytes
            } else if (!inflate(data, decode::Coding::RawDeflate, &member, entry.dataSize < 0 ? used : nullptr)) {
                return false;
            }
            if (add(member, depth + 1))
                content(member, {}, depth + 1);
            return !failed();
        };
        qsizetype pos = from;
        const QByteArrayView signature("PK\x03\x04", 4);
        while (!failed() && t.size() - pos >= 4) {
            // Unzip finds members through the central directory, whatever lies between them: a
            // member after bytes that are not one is still a member.
            if (std::memcmp(t.constData() + pos, signature.data(), 4) != 0) {
                pos = t.indexOf(signature, pos);
                if (pos < 0)
                    break;
            }
            decode::ZipEntry entry;
            if (const decode::ZipStatus status = decode::zipEntry(t, pos, &entry); status != decode::ZipStatus::Ok) {
                refuse(status);
                return;
            }
            walked.insert(pos);
            qsizetype used = 0;
            if (!scan(entry, entry.dataSize >= 0 ? entry.dataSize : t.size() - entry.dataStart, &used))
                return;
            pos = entry.dataStart + used;
            if (entry.descriptor)
                pos += decode::zipDescriptorLength(t, pos);
        }
        for (const decode::ZipCentral &central : listed) {
            if (failed() || walked.contains(central.localHeader))
                continue;
            walked.insert(central.localHeader);
            decode::ZipEntry entry;
            decode::zipListedEntry(t, central, &entry); // agreed above
            entry.dataSize = central.dataSize;
            qsizetype used = 0;
            if (!scan(entry, central.dataSize, &used))
                return;
        }
        if (failed())
            return;
        if (members == 0) {
            fail(QStringLiteral("malformed archive"));
            return;
        }
        if (add(names, depth + 1))
            text(names, depth + 1, -1);
    }

    // UTF-16/UTF-32 content (by BOM, charset or shape) also goes on as UTF-8, without its
    // charset parameter; the raw bytes still take the usual path, so a BOM cannot hide them.
    void wide(const QByteArray &t, const QByteArray &contentType, int depth) {
        const decode::WideCharset charset = decode::wideCharset(t, parameter(contentType, "charset"));
        if (charset == decode::WideCharset::None)
            return;
        QByteArray utf8;
        if (decode::wideToUtf8(t, charset, m_limits.maxWideBytes, &utf8) == decode::WideStatus::TooLarge) {
            fail(QStringLiteral("decoding limit: UTF-16 size"));
            return;
        }
        if (add(utf8, depth + 1))
            content(utf8, withoutParameter(contentType, "charset"), depth + 1);
    }

    // Padding a body with control bytes must not switch decoding off: percent-encoding and
    // entities are still undone, line by line, without the Unicode pass (binary is not text);
    // lines with invisible characters in them get the Unicode pass.
    void binaryRounds(const QByteArray &t, int depth) {
        QByteArray visible;
        const bool invisible = decode::invisibleLines(t, &visible);
        QByteArray first;
        const bool rounded = !failed() && round(t, -1, &first, false);
        binaryRoundsFrom(depth, invisible, visible, rounded, std::move(first));
    }

    // binaryRounds with its two passes over t done: invisibleLines and the first round.
    void binaryRoundsFrom(int depth, bool invisible, const QByteArray &visible, bool rounded, QByteArray first) {
        if (invisible && add(visible, depth + 1))
            text(visible, depth + 1, -1);
        if (!rounded || failed())
            return;
        int d = depth;
        QByteArray current = std::move(first);
        while (add(current, ++d, true)) { // lines of binary content, one escape undone
            QByteArray next;
            if (failed() || !round(current, -1, &next, false))
                return;
            current = std::move(next);
        }
    }

    // runs() and binaryRounds() of a large binary body, with the passes over its first lines
    // done ahead (none: upTo 0). The passes over the rest do not depend on each other: its runs
    // are found on a second thread meanwhile when it is large. The views are added in the usual
    // order, so the result is the same as on one thread and without passes made ahead.
    void binaryFrom(const QByteArray &t, int depth, const BinaryPasses &ahead) {
        const QByteArray rest = QByteArray::fromRawData(t.constData() + ahead.upTo, t.size() - ahead.upTo);
        std::future<Runs> found;
        if (m_limits.parallelBodyBytes > 0 && rest.size() >= m_limits.parallelBodyBytes) {
            const int maxJsonDepth = m_limits.maxJsonDepth;
            // No thread to be had: found here, below.
            found = startOffThread([rest, maxJsonDepth] { return findRuns(rest, maxJsonDepth); });
        }
        BinaryPasses all = ahead;
        all.extendLines(t, t.size());
        Runs r;
        if (!found.valid()) {
            r = findRuns(rest, m_limits.maxJsonDepth);
        } else {
            try {
                r = found.get();
            } catch (const std::exception &) { // bad_alloc on the other thread: not inspected
                fail(QStringLiteral("decoding failed"));
                return;
            }
        }
        r.count += all.runs;
        r.decoded.prepend(all.runsDecoded);
        r.jsonLines.prepend(all.runsJson);
        r.compressed = all.runsCompressed + r.compressed;
        extraRuns(t, &r);
        addRuns(r, depth);
        binaryRoundsFrom(depth, all.invisible, all.visible, all.rounded, std::move(all.first));
    }

public:
    // The round binaryRounds makes: escapes undone once, without the Unicode pass.
    static bool binaryRound(const QByteArray &in, QByteArray *out) { return round(in, -1, out, false); }

private:
    // One round of the text layers over one line.
    static bool roundLine(const QByteArray &in, qsizetype plusFrom, QByteArray *out, bool unicode = true) {
        QByteArray current = in;
        QByteArray next;
        bool changed = false;
        if (decode::percent(current, plusFrom, &next)) {
            current = std::move(next);
            changed = true;
        }
        if (decode::htmlEntities(current, &next)) {
            current = std::move(next);
            changed = true;
        }
        if (unicode && decode::unicodeCleanup(current, &next)) {
            current = std::move(next);
            changed = true;
        }
        if (changed)
            *out = std::move(current);
        return changed;
    }

    // One round over a text, keeping only the lines it changed: a 10 MB JSON view with one
    // escaped URL yields a one-line view, not a second 10 MB one. Lines without a '%', '&',
    // '+' (in plus mode) or non-ASCII byte are skipped at memchr speed.
    static bool round(const QByteArray &in, qsizetype plusFrom, QByteArray *out, bool unicode = true) {
        const char *s = in.constData();
        const qsizetype n = in.size();
        auto find = [&](char c, qsizetype from) {
            const void *p = from < n ? std::memchr(s + from, c, n - from) : nullptr;
            return p ? static_cast<const char *>(p) - s : n;
        };
        // A '%' or '&' that cannot start an escape changes nothing: skip it without the line.
        qsizetype esc = decode::nextEscape(s, 0, n);
        qsizetype plus = plusFrom >= 0 ? find('+', plusFrom) : n;
        qsizetype uni = unicode ? decode::nextNonAscii(s, 0, n) : n;
        QByteArray result;
        bool changed = false;
        qsizetype pos = 0;
        for (;;) {
            const qsizetype candidate = std::min({esc, plus, uni});
            if (candidate >= n)
                break;
            qsizetype lineStart = candidate;
            while (lineStart > pos && s[lineStart - 1] != '\n')
                --lineStart;
            const qsizetype lineEnd = find('\n', candidate);
            const QByteArray line = QByteArray::fromRawData(s + lineStart, lineEnd - lineStart);
            const qsizetype linePlus =
                plusFrom < 0 || plusFrom >= lineEnd ? -1 : qMax<qsizetype>(plusFrom - lineStart, 0);
            QByteArray decoded;
            if (roundLine(line, linePlus, &decoded, unicode)) {
                if (changed)
                    result.append('\n');
                result.append(decoded);
                changed = true;
            }
            pos = lineEnd + 1;
            if (pos >= n)
                break;
            if (esc < pos)
                esc = decode::nextEscape(s, pos, n);
            if (plus < pos)
                plus = find('+', pos);
            if (unicode && uni < pos)
                uni = decode::nextNonAscii(s, pos, n);
        }
        if (changed)
            *out = std::move(result);
        return changed;
    }

    struct Runs {
        int count = 0;
        QByteArray decoded;
        QByteArray jsonLines;
        QList<QByteArray> compressed;
    };

    static Runs findRuns(const QByteArray &t, int maxJsonDepth) {
        Runs r;
        r.count = decode::base64Runs(t, maxJsonDepth, &r.decoded, &r.jsonLines, &r.compressed);
        return r;
    }

    // The encodings whose blocks may span lines (ascii85) or that are rare enough to look for
    // over the whole text at once (\x escapes): always over the whole text, never in parts.
    static void extraRuns(const QByteArray &t, Runs *r) {
        r->count += decode::ascii85Blocks(t, &r->decoded);
        r->count += decode::hexEscapes(t, &r->decoded);
    }

    void runs(const QByteArray &t, int depth) {
        if (failed())
            return;
        Runs r = findRuns(t, m_limits.maxJsonDepth);
        extraRuns(t, &r);
        addRuns(r, depth);
    }

    void addRuns(const Runs &r, int depth) {
        if (failed() || r.count == 0)
            return;
        if (!r.decoded.isEmpty() && add(r.decoded, depth + 1))
            text(r.decoded, depth + 1, -1);
        if (!r.jsonLines.isEmpty() && add(r.jsonLines, depth + 2))
            text(r.jsonLines, depth + 2, -1);
        // Base64 of gzip ("H4sI…") or zlib ("eJ…") is how compressed data travels inside JSON
        // and text. Two characters of zlib magic turn up in random base64 now and then: a zlib
        // stream that does not inflate there is not refused, but what it gave before it broke
        // is scanned (a cut-off stream, a bad checksum or a byte after its end hide nothing).
        for (const QByteArray &member : r.compressed) {
            const decode::Magic magic = decode::compressedMagic(member.constData(), member.size());
            if (magic == decode::Magic::Zlib) {
                const qint64 left = qMax<qint64>(m_limits.maxTotalBytes - m_total, 0);
                QByteArray inflated;
                const decode::InflateStatus status =
                    decode::inflate(member, decode::Coding::Deflate, qMin(m_limits.maxInflatedBytes, left),
                                    m_limits.maxInflateRatio, &inflated);
                // Streams that fail make no view, but their inflating was work all the same.
                if (m_meter && !m_meter->tick(member.size() + inflated.size())) {
                    fail(QStringLiteral("work budget: CPU time"));
                    return;
                }
                if (status == decode::InflateStatus::Malformed) {
                    if (!inflated.isEmpty() && add(inflated, depth + 2))
                        text(inflated, depth + 2, -1);
                    if (failed())
                        return;
                    continue;
                }
                if (status != decode::InflateStatus::Ok) {
                    fail(status == decode::InflateStatus::TooCompressed
                             ? QStringLiteral("decoding limit: inflate ratio")
                             : QStringLiteral("decoding limit: inflated size"));
                    return;
                }
                if (add(inflated, depth + 2))
                    content(inflated, {}, depth + 2);
                continue;
            }
            compressed(member, magic, {}, depth + 1);
            if (failed())
                return;
        }
    }

    // False when the body has no usable boundary: it is then scanned as plain text. A body
    // that ends without the closing delimiter still yields its parts (the last one running to
    // the end), so truncation hides nothing.
    bool multipart(const QByteArray &t, const QByteArray &contentType, int depth) {
        const QByteArray boundary = parameter(contentType, "boundary");
        if (boundary.isEmpty() || boundary.size() > 200)
            return false;
        const QByteArray delimiter = "--" + boundary;
        qsizetype pos = 0;
        for (;; ++pos) {
            pos = t.indexOf(delimiter, pos);
            if (pos < 0)
                return false;
            if (pos == 0 || t[pos - 1] == '\n')
                break;
        }
        const QByteArray separator = '\n' + delimiter;
        QByteArray headers;
        int parts = 0;
        qsizetype p = pos + delimiter.size();
        while (!failed()) {
            if (t.mid(p, 2) == "--")
                break;
            const qsizetype eol = t.indexOf('\n', p);
            if (eol < 0)
                break;
            p = eol + 1;
            const qsizetype next = t.indexOf(separator, p - 1);
            qsizetype end = next < 0 ? t.size() : next;
            if (end > p && t[end - 1] == '\r')
                --end;
            if (++parts > m_limits.maxMultipartParts) {
                fail(QStringLiteral("decoding limit: multipart parts"));
                return true;
            }
            part(QByteArray::fromRawData(t.constData() + p, qMax<qsizetype>(end - p, 0)), depth + 1, &headers);
            if (next < 0)
                break;
            p = next + separator.size();
        }
        // The part headers (field names, file names) are a view of their own: in the raw view they
        // sit next to the parts, and a large binary part makes the rules ask more of all of it.
        if (!headers.isEmpty() && add(headers, depth + 1))
            text(headers, depth + 1, -1);
        return true;
    }

    void part(const QByteArray &bytes, int depth, QByteArray *allHeaders) {
        qsizetype headerEnd = 0;
        qsizetype bodyStart = 0;
        if (bytes.startsWith("\r\n")) {
            bodyStart = 2;
        } else if (bytes.startsWith('\n')) {
            bodyStart = 1;
        } else {
            const qsizetype crlf = bytes.indexOf("\r\n\r\n");
            const qsizetype lf = bytes.indexOf("\n\n");
            if (crlf >= 0 && (lf < 0 || crlf < lf)) {
                headerEnd = crlf;
                bodyStart = crlf + 4;
            } else if (lf >= 0) {
                headerEnd = lf;
                bodyStart = lf + 2;
            } else {
                headerEnd = bodyStart = bytes.size();
            }
        }
        const QByteArray headers = QByteArray::fromRawData(bytes.constData(), headerEnd);
        allHeaders->append(headers).append('\n');
        QByteArray type;
        QByteArray transfer;
        for (const QByteArray &line : headers.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            if (name == "content-type")
                type = line.mid(colon + 1).trimmed();
            else if (name == "content-transfer-encoding")
                transfer = line.mid(colon + 1).trimmed().toLower();
        }
        const QByteArray body = QByteArray::fromRawData(bytes.constData() + bodyStart, bytes.size() - bodyStart);
        QByteArray decoded;
        if ((transfer == "base64" && decode::base64Strict(body, &decoded)) ||
            (transfer == "quoted-printable" && decode::quotedPrintable(body, &decoded))) {
            if (add(decoded, depth + 1))
                content(decoded, type, depth + 1);
            return;
        }
        content(body, type, depth);
    }

    const InspectLimits &m_limits;
    WorkMeter *m_meter;
    NormalizeResult *m_out;
    const QString m_where;
    qint64 m_total = 0;
    std::unordered_map<qsizetype, std::vector<qsizetype>> m_bySize;
};

} // namespace

void BinaryPasses::extend(const QByteArray &text, qsizetype to) {
    if (to <= upTo || to > text.size() || (to < text.size() && text.at(to - 1) != '\n'))
        return; // only whole lines, or to the end
    const QByteArray part = QByteArray::fromRawData(text.constData() + upTo, to - upTo);
    runs += decode::base64Runs(part, maxJsonDepth, &runsDecoded, &runsJson, &runsCompressed);
    extendLines(text, to);
}

void BinaryPasses::extendLines(const QByteArray &text, qsizetype to) {
    if (to <= upTo || to > text.size() || (to < text.size() && text.at(to - 1) != '\n'))
        return;
    const QByteArray part = QByteArray::fromRawData(text.constData() + upTo, to - upTo);
    controls += decode::controlBytes(part.constData(), part.size());
    QByteArray lines;
    if (decode::invisibleLines(part, &lines)) {
        if (invisible)
            visible.append('\n');
        visible.append(lines);
        invisible = true;
    }
    lines.clear();
    if (Pass::binaryRound(part, &lines)) {
        if (rounded)
            first.append('\n');
        first.append(lines);
        rounded = true;
    }
    upTo = to;
}

Normalizer::Normalizer(InspectLimits limits, WorkMeter *meter)
    : m_limits(limits)
    , m_meter(meter) {}

void Normalizer::addBody(const QByteArray &body, const QByteArray &contentType, const QByteArray &contentEncoding,
                         NormalizeResult *out, const BinaryPasses *ahead) const {
    Pass pass(m_limits, m_meter, out, QStringLiteral("body"));
    if (out->uninspectable || !pass.add(body, 0))
        return;
    QList<QByteArray> codings;
    for (const QByteArray &c : contentEncoding.split(',')) {
        const QByteArray coding = c.trimmed().toLower();
        if (!coding.isEmpty() && coding != "identity")
            codings.append(coding);
    }
    if (codings.size() > m_limits.maxDepth) {
        pass.fail(QStringLiteral("decoding limit: depth"));
        return;
    }
    QByteArray current = body;
    // Codings are listed in the order they were applied: undo the last one first.
    for (auto it = codings.crbegin(); it != codings.crend(); ++it) {
        decode::Coding coding;
        if (*it == "gzip" || *it == "x-gzip") {
            coding = decode::Coding::Gzip;
        } else if (*it == "deflate") {
            coding = decode::Coding::Deflate;
        } else {
            pass.fail(QStringLiteral("unsupported content encoding"));
            return;
        }
        QByteArray inflated;
        if (!pass.inflate(current, coding, &inflated))
            return;
        current = std::move(inflated);
    }
    int depth = int(codings.size());
    if (depth > 0 && !pass.add(current, depth))
        return;
    // Passes made ahead are of the body's own bytes: not of what a Content-Encoding inflates.
    const bool aheadFits =
        ahead && depth == 0 && ahead->maxJsonDepth == m_limits.maxJsonDepth && ahead->upTo <= current.size();
    pass.content(current, contentType, depth, aheadFits ? ahead : nullptr);
}

void Normalizer::addText(const QByteArray &text, const QString &where, NormalizeResult *out) const {
    Pass pass(m_limits, m_meter, out, where);
    if (out->uninspectable || !pass.add(text, 0))
        return;
    qsizetype plusFrom = -1;
    if (where == QLatin1String("url")) {
        const qsizetype query = text.indexOf('?');
        if (query >= 0)
            plusFrom = query + 1;
    }
    pass.text(text, 0, plusFrom);
    if (where == QLatin1String("url"))
        pass.pathSegments(text);
}

} // namespace airlock
