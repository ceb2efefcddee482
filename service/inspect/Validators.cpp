#include "inspect/Validators.h"

#include <QByteArray>
#include <QJsonDocument>

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

namespace airlock::validators {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isLower(char c) {
    return c >= 'a' && c <= 'z';
}
bool isAlnum(char c) {
    return isDigit(c) || isUpper(c) || isLower(c);
}
char lower(char c) {
    return isUpper(c) ? char(c - 'A' + 'a') : c;
}

// Digits of s, at most N of them; returns the count (which may exceed N: then buf is partial).
template <size_t N> size_t collectDigits(std::string_view s, std::array<char, N> &buf) {
    size_t n = 0;
    for (char c : s) {
        if (isDigit(c)) {
            if (n < N)
                buf[n] = c;
            ++n;
        }
    }
    return n;
}

int prefixNumber(std::string_view digits, size_t len) {
    int v = 0;
    for (size_t i = 0; i < len && i < digits.size(); ++i)
        v = v * 10 + (digits[i] - '0');
    return v;
}

struct ClassCounts {
    int upper = 0, lower = 0, digit = 0, other = 0;
};
ClassCounts classes(std::string_view s) {
    ClassCounts c;
    for (char ch : s) {
        if (isUpper(ch))
            ++c.upper;
        else if (isLower(ch))
            ++c.lower;
        else if (isDigit(ch))
            ++c.digit;
        else
            ++c.other;
    }
    return c;
}

// The last maximal run of characters accepted by pred.
template <typename Pred> std::string_view lastRun(std::string_view s, Pred pred) {
    size_t end = s.size();
    while (end > 0 && !pred(s[end - 1]))
        --end;
    size_t begin = end;
    while (begin > 0 && pred(s[begin - 1]))
        --begin;
    return s.substr(begin, end - begin);
}

int base64UrlValue(char c) {
    if (isUpper(c))
        return c - 'A';
    if (isLower(c))
        return c - 'a' + 26;
    if (isDigit(c))
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

QByteArray decodeBase64Url(std::string_view s) {
    QByteArray out;
    out.reserve(qsizetype(s.size() * 3 / 4 + 3));
    uint32_t acc = 0;
    int bits = 0;
    for (char c : s) {
        const int v = base64UrlValue(c);
        if (v < 0)
            break;
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((acc >> bits) & 0xff));
        }
    }
    return out;
}

// "example" in any case: documentation's stand-in for a real value.
bool containsExample(std::string_view s) {
    static constexpr std::string_view kWord = "example";
    for (size_t i = 0; i + kWord.size() <= s.size(); ++i) {
        size_t k = 0;
        while (k < kWord.size() && lower(s[i + k]) == kWord[k])
            ++k;
        if (k == kWord.size())
            return true;
    }
    return false;
}

bool decodesToJsonObject(std::string_view part) {
    const QByteArray json = decodeBase64Url(part);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isObject();
}

} // namespace

double shannonEntropy(std::string_view s) {
    if (s.empty())
        return 0.0;
    std::array<uint32_t, 256> counts{};
    for (unsigned char c : s)
        ++counts[c];
    double h = 0.0;
    const double n = double(s.size());
    for (uint32_t c : counts) {
        if (c) {
            const double p = c / n;
            h -= p * std::log2(p);
        }
    }
    return h;
}

bool luhn(std::string_view digits) {
    int sum = 0;
    bool dbl = false;
    for (size_t i = digits.size(); i-- > 0;) {
        int d = digits[i] - '0';
        if (dbl) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        dbl = !dbl;
    }
    return !digits.empty() && sum % 10 == 0;
}

bool isCardNumber(std::string_view match) {
    std::array<char, 19> buf{};
    const size_t n = collectDigits(match, buf);
    if (n < 13 || n > 19)
        return false;
    const std::string_view d(buf.data(), n);
    if (n == 13 && d[0] == '1') // epoch milliseconds
        return false;
    const int p2 = prefixNumber(d, 2);
    const int p3 = prefixNumber(d, 3);
    const int p4 = prefixNumber(d, 4);
    bool issuer = false;
    switch (d[0]) {
    case '2': // Mastercard 2-series, Mir
        issuer = (p4 >= 2221 && p4 <= 2720 && n == 16) || (p4 >= 2200 && p4 <= 2204 && n >= 16);
        break;
    case '3': // Amex, Diners, JCB
        issuer = ((p2 == 34 || p2 == 37) && n == 15) ||
                 (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14) ||
                 (p4 >= 3528 && p4 <= 3589 && n >= 16);
        break;
    case '4': // Visa
        issuer = n == 13 || n == 16 || n == 19;
        break;
    case '5': // Mastercard, Maestro
        issuer = (p2 >= 51 && p2 <= 55 && n == 16) || p2 == 50 || p2 >= 56;
        break;
    case '6': // Discover, UnionPay, Maestro
        issuer = true;
        break;
    default:
        issuer = false;
    }
    return issuer && luhn(d);
}

namespace {
struct DigitGroup {
    size_t start = 0;
    size_t end = 0;     // one past the last digit
    size_t next = 0;    // start of the following group of the chain, or npos
    char separator = 0; // between this group and the next
};

bool isSeparator(char c) {
    return c == ' ' || c == '-' || c == '/' || c == '_';
}

// Whether two separators may join the groups of one number: a space and a dash mix in
// handwriting; '/' and '_' only ever stand alone (2024/01/15-4111 is a date and a number).
bool sameChain(char a, char b) {
    const bool aSpaced = a == ' ' || a == '-';
    const bool bSpaced = b == ' ' || b == '-';
    return a == b || (aSpaced && bSpaced);
}

DigitGroup digitGroup(std::string_view text, size_t start) {
    DigitGroup g;
    g.start = start;
    g.end = start;
    while (g.end < text.size() && isDigit(text[g.end]))
        ++g.end;
    const bool joined = g.end + 1 < text.size() && isSeparator(text[g.end]) && isDigit(text[g.end + 1]);
    g.next = joined ? g.end + 1 : std::string_view::npos;
    g.separator = joined ? text[g.end] : 0;
    return g;
}

bool cardShape(size_t digits, const std::array<size_t, 19> &cuts, size_t ncuts) {
    bool fours = true;
    bool amex = digits == 14 || digits == 15;
    for (size_t i = 0; i < ncuts; ++i) {
        fours = fours && (cuts[i] == 4 || cuts[i] == 8 || cuts[i] == 12);
        amex = amex && (cuts[i] == 4 || cuts[i] == 10);
    }
    return fours || amex;
}
} // namespace

bool findCardInChain(std::string_view text, size_t begin, size_t *foundAt, size_t *chainEnd) {
    size_t groupStart = begin;
    for (;;) {
        const DigitGroup first = digitGroup(text, groupStart);
        // Windows starting at this group: extend group by group while at most 19 digits.
        size_t digits = 0;
        std::array<size_t, 19> cuts{};
        size_t ncuts = 0;
        DigitGroup g = first;
        for (;;) {
            digits += g.end - g.start;
            if (digits > 19)
                break;
            const bool boundary = g.end == text.size() || !(isAlnum(text[g.end]) || text[g.end] == '_');
            if (digits >= 13 && boundary && cardShape(digits, cuts, ncuts) &&
                isCardNumber(text.substr(first.start, g.end - first.start))) {
                *foundAt = first.start;
                *chainEnd = g.end;
                return true;
            }
            if (g.next == std::string_view::npos || !sameChain(first.separator, g.separator))
                break;
            cuts[ncuts++] = digits;
            g = digitGroup(text, g.next);
        }
        if (first.next == std::string_view::npos) {
            *chainEnd = first.end;
            return false;
        }
        groupStart = first.next;
    }
}

bool isSsn(std::string_view match) {
    std::array<char, 9> d{};
    if (collectDigits(match, d) != 9)
        return false;
    const int area = prefixNumber(std::string_view(d.data(), 3), 3);
    const int group = prefixNumber(std::string_view(d.data() + 3, 2), 2);
    const int serial = prefixNumber(std::string_view(d.data() + 5, 4), 4);
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0)
        return false;
    return !std::all_of(d.begin(), d.end(), [&](char c) { return c == d[0]; });
}

namespace {
struct IbanCountry {
    char cc[3];
    int length;
};
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
    {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
    {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
    {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};
} // namespace

bool isIban(std::string_view match) {
    std::array<char, 34> buf{};
    size_t n = 0;
    for (char c : match) {
        if (c == ' ')
            continue;
        if (!isAlnum(c) || n == buf.size())
            return false;
        buf[n++] = isLower(c) ? char(c - 'a' + 'A') : c;
    }
    if (n < 15 || !isUpper(buf[0]) || !isUpper(buf[1]) || !isDigit(buf[2]) || !isDigit(buf[3]))
        return false;
    const auto country = std::find_if(std::begin(kIbanCountries), std::end(kIbanCountries),
                                      [&](const IbanCountry &c) { return c.cc[0] == buf[0] && c.cc[1] == buf[1]; });
    if (country == std::end(kIbanCountries) || size_t(country->length) != n)
        return false;
    int rem = 0;
    for (size_t k = 0; k < n; ++k) {
        const char c = buf[(k + 4) % n];
        if (isDigit(c)) {
            rem = (rem * 10 + (c - '0')) % 97;
        } else {
            const int v = c - 'A' + 10;
            rem = (rem * 100 + v) % 97;
        }
    }
    return rem == 1;
}

namespace {
// Common generic TLDs and every two-letter country code TLD. A TLD outside this list (png,
// json, safetensors, local, ...) is not an e-mail address.
constexpr std::string_view kTlds[] = {
    "com",       "net",       "org",        "edu",     "gov",       "mil",        "int",        "info",
    "biz",       "name",      "pro",        "aero",    "coop",      "museum",     "mobi",       "asia",
    "tel",       "travel",    "jobs",       "cat",     "app",       "dev",        "cloud",      "online",
    "site",      "tech",      "store",      "shop",    "xyz",       "top",        "blog",       "email",
    "systems",   "digital",   "agency",     "company", "network",   "solutions",  "services",   "group",
    "global",    "live",      "life",       "world",   "today",     "news",       "media",      "studio",
    "design",    "art",       "space",      "website", "club",      "family",     "health",     "bank",
    "insurance", "law",       "finance",    "capital", "ventures",  "partners",   "consulting", "engineering",
    "academy",   "school",    "university", "college", "institute", "foundation", "ngo",        "page",
    "link",      "click",     "help",       "support", "social",    "one",        "zone",       "works",
    "tools",     "software",  "codes",      "run",     "host",      "hosting",    "ltd",        "inc",
    "llc",       "gmbh",      "team",       "icu",     "vip",       "fun",        "work",       "mail",
    "google",    "microsoft", "apple",      "amazon",  "eu",        "ac",         "su",         "uk",
    "ad",        "ae",        "af",         "ag",      "ai",        "al",         "am",         "ao",
    "aq",        "ar",        "as",         "at",      "au",        "aw",         "ax",         "az",
    "ba",        "bb",        "bd",         "be",      "bf",        "bg",         "bh",         "bi",
    "bj",        "bm",        "bn",         "bo",      "bq",        "br",         "bs",         "bt",
    "bw",        "by",        "bz",         "ca",      "cc",        "cd",         "cf",         "cg",
    "ch",        "ci",        "ck",         "cl",      "cm",        "cn",         "co",         "cr",
    "cu",        "cv",        "cw",         "cx",      "cy",        "cz",         "de",         "dj",
    "dk",        "dm",        "do",         "dz",      "ec",        "ee",         "eg",         "er",
    "es",        "et",        "fi",         "fj",      "fk",        "fm",         "fo",         "fr",
    "ga",        "gd",        "ge",         "gf",      "gg",        "gh",         "gi",         "gl",
    "gm",        "gn",        "gp",         "gq",      "gr",        "gs",         "gt",         "gu",
    "gw",        "gy",        "hk",         "hm",      "hn",        "hr",         "ht",         "hu",
    "id",        "ie",        "il",         "im",      "in",        "io",         "iq",         "ir",
    "is",        "it",        "je",         "jm",      "jo",        "jp",         "ke",         "kg",
    "kh",        "ki",        "km",         "kn",      "kp",        "kr",         "kw",         "ky",
    "kz",        "la",        "lb",         "lc",      "li",        "lk",         "lr",         "ls",
    "lt",        "lu",        "lv",         "ly",      "ma",        "mc",         "md",         "me",
    "mg",        "mh",        "mk",         "ml",      "mm",        "mn",         "mo",         "mp",
    "mq",        "mr",        "ms",         "mt",      "mu",        "mv",         "mw",         "mx",
    "my",        "mz",        "na",         "nc",      "ne",        "nf",         "ng",         "ni",
    "nl",        "no",        "np",         "nr",      "nu",        "nz",         "om",         "pa",
    "pe",        "pf",        "pg",         "ph",      "pk",        "pl",         "pm",         "pn",
    "pr",        "ps",        "pt",         "pw",      "py",        "qa",         "re",         "ro",
    "rs",        "ru",        "rw",         "sa",      "sb",        "sc",         "sd",         "se",
    "sg",        "sh",        "si",         "sk",      "sl",        "sm",         "sn",         "so",
    "sr",        "ss",        "st",         "sv",      "sx",        "sy",         "sz",         "tc",
    "td",        "tf",        "tg",         "th",      "tj",        "tk",         "tl",         "tm",
    "tn",        "to",        "tr",         "tt",      "tv",        "tw",         "tz",         "ua",
    "ug",        "us",        "uy",         "uz",      "va",        "vc",         "ve",         "vg",
    "vi",        "vn",        "vu",         "wf",      "ws",        "ye",         "yt",         "za",
    "zm",        "zw",
};

bool knownTld(std::string_view tld) {
    if (tld.size() > 12)
        return false;
    std::array<char, 12> buf{};
    for (size_t i = 0; i < tld.size(); ++i)
        buf[i] = lower(tld[i]);
    const std::string_view l(buf.data(), tld.size());
    return std::find(std::begin(kTlds), std::end(kTlds), l) != std::end(kTlds);
}
} // namespace

bool isEmail(std::string_view match) {
    // The rule hands over one ':' or '/' that follows the address. git@host:org/repo.git and
    // ssh://git@host/org/repo are SSH remotes: "git" is the forges' shared SSH user, not a person.
    bool remote = false;
    if (!match.empty() && (match.back() == ':' || match.back() == '/')) {
        match.remove_suffix(1);
        remote = true;
    }
    const size_t at = match.rfind('@');
    if (at == std::string_view::npos || at == 0)
        return false;
    if (remote && match.substr(0, at) == "git")
        return false;
    const std::string_view domain = match.substr(at + 1);
    const size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0)
        return false;
    // xn--: an internationalised top-level domain (.中国, .рф), as the address view of
    // non-ASCII addresses writes it (Normalizer).
    const std::string_view tld = domain.substr(dot + 1);
    if (!knownTld(tld) && !(tld.size() > 4 && lower(tld[0]) == 'x' && lower(tld[1]) == 'n' && tld.substr(2, 2) == "--"))
        return false;
    // icon@2x.png, weights@3x.pt: a single label of digits (plus an optional 'x') before the
    // "TLD" is an image scale or version suffix of a file name, not a mail domain.
    const std::string_view label = domain.substr(0, dot);
    if (label.find('.') == std::string_view::npos) {
        const bool fileSuffix = std::all_of(label.begin(), label.end(), [](char c) { return isDigit(c) || c == 'x'; });
        if (fileSuffix)
            return false;
    }
    return true;
}

bool isUrlPassword(std::string_view match) {
    const size_t scheme = match.find("://");
    if (scheme == std::string_view::npos)
        return false;
    const std::string_view rest = match.substr(scheme + 3);
    const size_t at = rest.rfind('@');
    const size_t colon = rest.find(':');
    if (at == std::string_view::npos || colon == std::string_view::npos || colon >= at)
        return false;
    const std::string_view password = rest.substr(colon + 1, at - colon - 1);
    if (password.size() < 3)
        return false;
    if (password.size() <= 5 && std::all_of(password.begin(), password.end(), [](char c) { return isDigit(c); }))
        return false; // host:port@ written by mistake, not a secret
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); }))
        return false; // ***, xxxxx
    if (password.front() == '$' || password.front() == '<' || password.front() == '%' || password.front() == '{')
        return false; // ${PASSWORD}, <password>, %s, {password}
    std::string lowered(password);
    for (char &c : lowered)
        c = lower(c);
    for (const std::string_view placeholder : {"password", "passwd", "pass", "secret", "changeme", "pwd",
                                               "yourpassword", "your_password", "mypassword", "redacted"})
        if (lowered == placeholder)
            return false;
    return true;
}

bool isEmailInBinary(std::string_view match) {
    if (!isEmail(match))
        return false;
    while (!match.empty() && (match.back() == ':' || match.back() == '/'))
        match.remove_suffix(1);
    const size_t at = match.rfind('@');
    const std::string_view domain = match.substr(at + 1);
    const bool lower = std::none_of(domain.begin(), domain.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool upper = std::none_of(domain.begin(), domain.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return at >= 2 && (lower || upper);
}

bool phoneShapeOk(std::string_view match) {
    std::array<char, 16> d{};
    const size_t n = collectDigits(match, d);
    const bool international = match.find('+') != std::string_view::npos;
    if (international)
        return n >= 8 && n <= 15;
    size_t i = 0;
    if (n == 11 && d[0] == '1')
        i = 1;
    else if (n != 10)
        return false;
    return d[i] >= '2' && d[i + 3] >= '2'; // NANP: area code and exchange start with 2-9
}

bool isValidPhone(std::string_view match) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    if (!phoneShapeOk(match))
        return false;
    // The context form ("phone: 4155550123") carries a word; hand libphonenumber the number only.
    const size_t start = match.find_first_of("+(0123456789");
    const std::string number(match.substr(start));
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber parsed;
    if (util->Parse(number, "US", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR)
        return false;
    return util->IsValidNumber(parsed);
}

uint32_t crc32(std::string_view s) {
    uint32_t crc = 0xffffffffu;
    for (unsigned char c : s) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

bool isGithubToken(std::string_view token) {
    static constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const size_t sep = token.find('_');
    if (sep == std::string_view::npos || token.size() != sep + 1 + 36)
        return false;
    const std::string_view body = token.substr(sep + 1, 30);
    const std::string_view check = token.substr(sep + 31, 6);
    uint32_t crc = crc32(body);
    std::array<char, 6> expected{};
    for (size_t i = expected.size(); i-- > 0;) {
        expected[i] = kBase62[crc % 62];
        crc /= 62;
    }
    return std::string_view(expected.data(), expected.size()) == check;
}

bool isJwt(std::string_view match) {
    const size_t d1 = match.find('.');
    if (d1 == std::string_view::npos)
        return false;
    const size_t d2 = match.find('.', d1 + 1);
    if (d2 == std::string_view::npos)
        return false;
    return decodesToJsonObject(match.substr(0, d1)) && decodesToJsonObject(match.substr(d1 + 1, d2 - d1 - 1));
}

bool isAwsSecret(std::string_view match) {
    const std::string_view secret = lastRun(match, [](char c) { return isAlnum(c) || c == '/' || c == '+'; });
    if (secret.size() != 40)
        return false;
    const ClassCounts c = classes(secret);
    // AWS's documentation example (wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY) and its kin.
    return c.upper > 0 && c.lower > 0 && c.digit > 0 && shannonEntropy(secret) > 4.0 && !containsExample(secret);
}

bool isAwsKeyId(std::string_view match) {
    return match.size() < 7 || match.substr(match.size() - 7) != "EXAMPLE";
}

bool isStripeKey(std::string_view match) {
    static constexpr uint32_t kDocumentationKeys[] = {0x776de070u, 0x396d8142u};
    const uint32_t crc = crc32(match);
    return std::find(std::begin(kDocumentationKeys), std::end(kDocumentationKeys), crc) == std::end(kDocumentationKeys);
}

bool isMixedCaseToken(std::string_view match) {
    const size_t sep = match.rfind('_');
    const ClassCounts c = classes(sep == std::string_view::npos ? match : match.substr(sep + 1));
    return c.upper > 0 && c.lower > 0;
}

bool isBearerToken(std::string_view match) {
    const std::string_view token =
        lastRun(match, [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; });
    if (token.size() < 16)
        return false;
    const ClassCounts c = classes(token);
    return c.digit > 0 || (c.upper > 0 && c.lower > 0) || c.other > 0;
}

bool isGenericSecret(std::string_view match) {
    // The match is [delimiter]keyword["']?[ \t]*[:=][ \t]*["']?value; the value may itself hold
    // '=' or ':', so cut at the first separator after the keyword.
    const size_t keyword =
        size_t(std::find_if(match.begin(), match.end(), [](char c) { return isAlnum(c); }) - match.begin());
    size_t start = match.find_first_of(":=", keyword);
    if (start == std::string_view::npos)
        return false;
    ++start;
    while (start < match.size() &&
           (match[start] == ' ' || match[start] == '\t' || match[start] == '"' || match[start] == '\''))
        ++start;
    const std::string_view value = match.substr(start);
    if (containsExample(value))
        return false; // documentation's stand-in (AWS's ...EXAMPLEKEY)
    const ClassCounts c = classes(value);
    // Passwords are short and full of symbols: after a password word, 8 characters from at
    // least three of upper, lower, digit and symbol are enough ("password": "required" and
    // placeholders are not).
    std::string keywordText(match.substr(keyword, start - keyword));
    std::transform(keywordText.begin(), keywordText.end(), keywordText.begin(),
                   [](unsigned char ch) { return char(std::tolower(ch)); });
    const bool passwordWord =
        keywordText.find("pass") != std::string::npos || keywordText.find("pwd") != std::string::npos;
    // A bare "key" or "token" holding exactly a hex digest (md5, sha1, sha256, sha512) is
    // far more often a cache key or content hash than a secret: digests must pass.
    const auto has = [&](const char *word) {
        return keywordText.find(word) != std::string::npos;
    };
    const bool weakWord =
        (has("key") && !has("api") && !has("secret")) || (has("token") && !has("access") && !has("auth"));
    const bool hexDigest =
        (value.size() == 32 || value.size() == 40 || value.size() == 64 || value.size() == 128) &&
        std::all_of(value.begin(), value.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
    if (weakWord && hexDigest)
        return false;
    if (passwordWord && value.size() >= 8 && value.size() < 16)
        return (c.upper > 0) + (c.lower > 0) + (c.digit > 0) + (c.other > 0) >= 3 && shannonEntropy(value) > 2.5;
    if (value.size() < 16)
        return false;
    // Paths, URLs, file and dotted parameter names, snake_case identifiers: lower case only.
    if (c.upper == 0 && (value.find('.') != std::string_view::npos || value.find('/') != std::string_view::npos))
        return false;
    if (c.upper == 0 && c.digit == 0)
        return false;
    return shannonEntropy(value) > 3.5;
}

bool isRandomToken(std::string_view match) {
    size_t longest = 0;
    size_t longestAt = 0;
    size_t run = 0;
    size_t same = 0;
    for (size_t i = 0; i < match.size(); ++i) {
        const char c = match[i];
        if (!isAlnum(c)) {
            run = 0;
            same = 0;
            continue;
        }
        same = run > 0 && match[i - 1] == c ? same + 1 : 1;
        if (same >= 6)
            return false; // xxxxxx, 000000: a placeholder
        if (++run > longest) {
            longest = run;
            longestAt = i + 1 - run;
        }
    }
    if (longest < 5 || containsExample(match))
        return false;
    const std::string_view body = match.substr(longestAt, longest);
    return body.size() < 16 || shannonEntropy(body) >= 3.0;
}

bool isBase64JsonToken(std::string_view match) {
    const size_t start = match.find("eyJ");
    if (start == std::string_view::npos)
        return false;
    size_t end = start;
    while (end < match.size() && base64UrlValue(match[end]) >= 0)
        ++end;
    const std::string_view run = match.substr(start, end - start);
    if (decodesToJsonObject(run))
        return true;
    // sntrys_<base64 JSON>_<signature>: the JSON ends at the last '_' when it is unpadded.
    const size_t cut = run.rfind('_');
    return cut != std::string_view::npos && decodesToJsonObject(run.substr(0, cut));
}

bool isDiscordToken(std::string_view match) {
    size_t start = 0;
    while (start < match.size() && base64UrlValue(match[start]) < 0)
        ++start;
    const size_t dot = match.find('.', start);
    if (dot == std::string_view::npos)
        return false;
    const QByteArray id = decodeBase64Url(match.substr(start, dot - start));
    return id.size() >= 17 && std::all_of(id.begin(), id.end(), [](char c) { return isDigit(c); });
}

uint32_t bech32Polymod(const uint8_t *values, size_t n) {
    static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t chk = 1;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ values[i];
        for (int k = 0; k < 5; ++k)
            chk ^= ((top >> k) & 1) ? kGen[k] : 0;
    }
    return chk;
}

bool isAgeSecretKey(std::string_view match) {
    static constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const size_t sep = match.rfind('1');
    if (sep == std::string_view::npos || match.size() - sep - 1 < 7 || sep > 32 || match.size() > 128)
        return false;
    std::array<uint8_t, 200> values{};
    size_t n = 0;
    const std::string_view hrp = match.substr(0, sep);
    for (char c : hrp)
        values[n++] = uint8_t(uint8_t(lower(c)) >> 5);
    values[n++] = 0;
    for (char c : hrp)
        values[n++] = uint8_t(uint8_t(lower(c)) & 31);
    for (char c : match.substr(sep + 1)) {
        const size_t v = kCharset.find(lower(c));
        if (v == std::string_view::npos)
            return false;
        values[n++] = uint8_t(v);
    }
    return bech32Polymod(values.data(), n) == 1;
}

bool isAzureStorageKey(std::string_view match) {
    const size_t eq = match.find('=');
    if (eq == std::string_view::npos)
        return false;
    const std::string_view key = match.substr(eq + 1);
    // The storage emulators' (Azurite's) well-known account key, printed in Microsoft's docs.
    if (key.substr(0, 16) == "Eby8vdM02xNOcqFl")
        return false;
    return decodeBase64Url(key).size() == 64 && isRandomToken(key);
}

bool isSasSignature(std::string_view match) {
    const size_t eq = match.find('=');
    if (eq == std::string_view::npos)
        return false;
    // Percent-decode the three characters base64 has that a query string escapes.
    std::string b64;
    const std::string_view value = match.substr(eq + 1);
    for (size_t i = 0; i < value.size() && b64.size() < 64; ++i) {
        if (value[i] == '%' && i + 2 < value.size()) {
            const std::string_view code = value.substr(i + 1, 2);
            b64 += code == "2B" || code == "2b" ? '+' : code == "2F" || code == "2f" ? '/' : '=';
            i += 2;
        } else {
            b64 += value[i];
        }
    }
    while (!b64.empty() && b64.back() == '=')
        b64.pop_back();
    return b64.size() == 43 && std::all_of(b64.begin(), b64.end(), [](char c) { return base64UrlValue(c) >= 0; }) &&
           isRandomToken(b64);
}

namespace {
// The OIDs (DER content bytes) of the key algorithms a PKCS#8 PrivateKeyInfo names.
constexpr std::string_view kKeyAlgorithms[] = {
    {"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9}, // rsaEncryption
    {"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a", 9}, // RSASSA-PSS
    {"\x2a\x86\x48\xce\x3d\x02\x01", 7},         // id-ecPublicKey
    {"\x2a\x86\x48\xce\x38\x04\x01", 7},         // id-dsa
    {"\x2b\x65\x6e", 3},                         // X25519
    {"\x2b\x65\x6f", 3},                         // X448
    {"\x2b\x65\x70", 3},                         // Ed25519
    {"\x2b\x65\x71", 3},                         // Ed448
};
} // namespace

bool isDerPrivateKey(std::string_view match) {
    size_t start = 0;
    while (start < match.size() && base64UrlValue(match[start]) < 0)
        ++start;
    const QByteArray raw = decodeBase64Url(match.substr(start, 64));
    const std::string_view der(raw.constData(), size_t(raw.size()));
    if (der.substr(0, 15) == std::string_view("openssh-key-v1\0", 15))
        return true;
    const auto at = [&](size_t i) {
        return i < der.size() ? int(uint8_t(der[i])) : -1;
    };
    if (der.size() < 24 || at(0) != 0x30) // the rule hands over 48 characters or more
        return false;
    size_t i = 2;
    if (at(1) == 0x81 && at(2) >= 0x80)
        i = 3;
    else if (at(1) == 0x82)
        i = 4;
    else if (at(1) < 0 || at(1) >= 0x80)
        return false;
    if (at(i) != 0x02 || at(i + 1) != 0x01 || (at(i + 2) != 0 && at(i + 2) != 1))
        return false;
    const int version = at(i + 2);
    const size_t next = i + 3;
    if (version == 0 && at(next) == 0x02) // PKCS#1 RSA or DSA: a modulus or prime follows
        return at(next + 1) == 0x81 || at(next + 1) == 0x82;
    if (version == 1 && at(next) == 0x04) // SEC1 EC: the private key octets
        return at(next + 1) >= 16 && at(next + 1) <= 66;
    if (at(next) == 0x30 && at(next + 2) == 0x06) { // PKCS#8: an AlgorithmIdentifier
        const int length = at(next + 3);
        if (length <= 0)
            return false;
        const std::string_view oid = der.substr(std::min(der.size(), next + 4), size_t(length));
        return std::find(std::begin(kKeyAlgorithms), std::end(kKeyAlgorithms), oid) != std::end(kKeyAlgorithms);
    }
    return false;
}

} // namespace airlock::validators
