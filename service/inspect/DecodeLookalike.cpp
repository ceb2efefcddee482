// Look-alikes of ASCII characters from Unicode's confusables data (UTS #39), as ICU's spoof
// checker has it: "ѕk-ant-", "ghр_" and "АKIA" must match as the keys they imitate.
//
// A skeleton maps a string to a prototype in which look-alikes are equal, and the prototypes of
// some ASCII characters are other ASCII: "1", "I" and "|" become "l", "0" becomes "O", "m"
// becomes "rn". So ASCII is never put through a skeleton; instead, once per process, every
// non-ASCII code point that NFKC leaves alone is given the ASCII character whose skeleton equals
// its own, the source's case (or digit-ness) choosing among "1Il|" and "0O". Code points NFKC
// changes are not in the table: NFKC runs first (fullwidth, mathematical letters) and its output
// is looked up again.
#include "inspect/Decode.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace airlock::decode {

namespace {

// Confusables outside these planes are not letters or digits anyone reads as ASCII.
constexpr UChar32 kLastCodePoint = 0x1FFFF;

class LookalikeTable {
public:
    LookalikeTable() {
        UErrorCode status = U_ZERO_ERROR;
        USpoofChecker *checker = uspoof_open(&status);
        const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
        if (U_FAILURE(status)) {
            if (checker)
                uspoof_close(checker);
            return; // no table: the hand-made look-alikes in DecodeUnicode.cpp still apply
        }
        auto skeleton = [&](UChar32 cp) {
            UChar in[2];
            int32_t n = 0;
            U16_APPEND_UNSAFE(in, n, cp);
            UChar out[32];
            UErrorCode s = U_ZERO_ERROR;
            const int32_t len = uspoof_getSkeleton(checker, 0, in, n, out, 32, &s);
            return U_SUCCESS(s) ? std::u16string(reinterpret_cast<const char16_t *>(out), size_t(len))
                                : std::u16string();
        };
        std::map<std::u16string, std::string> ascii; // skeleton -> the printable ASCII with it
        for (char c = 0x21; c < 0x7F; ++c)
            ascii[skeleton(c)] += c;
        for (UChar32 cp = 0x80; cp <= kLastCodePoint; ++cp) {
            if (U_IS_SURROGATE(cp))
                continue;
            const int8_t type = u_charType(cp);
            if (type == U_UNASSIGNED || type == U_PRIVATE_USE_CHAR || type == U_CONTROL_CHAR)
                continue;
            UChar in[2];
            int32_t n = 0;
            U16_APPEND_UNSAFE(in, n, cp);
            UErrorCode s = U_ZERO_ERROR;
            if (!unorm2_isNormalized(nfkc, in, n, &s) || U_FAILURE(s))
                continue;
            const auto it = ascii.find(skeleton(cp));
            if (it == ascii.end())
                continue;
            const char c = choose(cp, it->second);
            if (cp < 0x10000)
                m_bmp[size_t(cp)] = c;
            else
                m_astral.emplace_back(char32_t(cp), c);
        }
        uspoof_close(checker);
    }

    char find(char32_t cp) const {
        if (cp < 0x10000)
            return m_bmp[cp];
        const auto it = std::lower_bound(m_astral.cbegin(), m_astral.cend(), std::make_pair(cp, char(0)));
        return it != m_astral.cend() && it->first == cp ? it->second : 0;
    }

private:
    // Among ASCII characters with one skeleton, the one of the source's kind.
    static char choose(UChar32 cp, const std::string &candidates) {
        if (candidates.size() == 1)
            return candidates.front();
        auto first = [&](auto kind) {
            const auto it = std::find_if(candidates.cbegin(), candidates.cend(), kind);
            return it == candidates.cend() ? char(0) : *it;
        };
        const auto digit = [](char c) {
            return c >= '0' && c <= '9';
        };
        const auto upper = [](char c) {
            return c >= 'A' && c <= 'Z';
        };
        const auto lower = [](char c) {
            return c >= 'a' && c <= 'z';
        };
        char c = 0;
        if (u_isdigit(cp))
            c = first(digit);
        else if (u_isUUppercase(cp))
            c = first(upper);
        else if (u_isULowercase(cp))
            c = first(lower);
        if (!c)
            c = first(lower);
        if (!c)
            c = first(upper);
        if (!c)
            c = first(digit);
        return c ? c : candidates.front();
    }

    std::array<char, 0x10000> m_bmp{};
    std::vector<std::pair<char32_t, char>> m_astral; // ascending, as built
};

} // namespace

char asciiLookalike(char32_t cp) {
    static const LookalikeTable table; // ~20 ms, once per process
    return table.find(cp);
}

} // namespace airlock::decode
