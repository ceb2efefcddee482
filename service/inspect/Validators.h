#pragma once

#include <cstdint>
#include <string_view>

namespace airlock::validators {

// Second-stage checks for detection rules. A regex only finds the shape of a candidate; these
// decide whether it is real, which is what keeps digests, sizes, timestamps and identifiers in
// model-download traffic from being refused. Each takes the matched bytes and never keeps or
// logs them. All are allocation-free except isValidPhone (libphonenumber) and isJwt.

// Shannon entropy in bits per character.
double shannonEntropy(std::string_view s);

bool luhn(std::string_view digits);
// 13-19 digits (separators removed): Luhn, a known issuer prefix with a length it issues,
// and not a 13-digit epoch-millisecond timestamp.
bool isCardNumber(std::string_view match);
// The candidate at begin starts a chain of digit groups joined by single spaces or dashes.
// Tries every window of the chain that has a card's shape (13-19 digits; groups split only
// after digits 4/8/12, or 4/10 for 14-15 digits) with isCardNumber, in one linear pass, so a
// long chain of rejected groups costs one regex call instead of one per group. Returns whether
// a card was found (*foundAt) and where the chain ends (*chainEnd, where the search resumes).
bool findCardInChain(std::string_view text, size_t begin, size_t *foundAt, size_t *chainEnd);
// AAA-GG-SSSS with one kind of separator (or none): no area 000/666/9xx, group 00, serial
// 0000, not all one digit.
bool isSsn(std::string_view match);
// Country code, check digits, BBAN: the country's IBAN length and mod-97 == 1.
bool isIban(std::string_view match);
// local@domain.tld with a TLD from the built-in list, not a file name like icon@2x.png. A ':'
// or '/' right after the address (the rule includes it) marks an SSH remote when the local
// part is "git" (git@github.com:org/repo.git, ssh://git@hf.co/...): not an address.
bool isEmail(std::string_view match);
// isEmail, plus what random bytes rarely produce and real addresses nearly always have: a
// domain in one case (all lower or all upper) and a local part of two characters or more.
// Random letters mix case: a chance match's domain of n letters is one-case 1 in 2^(n-1).
bool isEmailInBinary(std::string_view match);
// A real number per libphonenumber (region US, or international with +).
bool isValidPhone(std::string_view match);
// Cheap pre-check for phone candidates (NANP shape, digit count) before libphonenumber.
bool phoneShapeOk(std::string_view match);

uint32_t crc32(std::string_view s);
// ghp_/gho_/ghu_/ghs_/ghr_ tokens: the last 6 characters are the base62 CRC32 of the 30 before.
bool isGithubToken(std::string_view token);
// Three base64url parts, the first two decode to JSON objects.
bool isJwt(std::string_view match);
// The first 40-character base64 run in match, mixed case with digits and random enough.
bool isAwsSecret(std::string_view match);
// AWS key id that is not a documentation example (…EXAMPLE).
bool isAwsKeyId(std::string_view match);
// A Stripe key that is not one of the test keys Stripe's documentation publishes (known by
// their CRC32, so that no source file carries them).
bool isStripeKey(std::string_view match);
// Random-looking token: upper and lower case letters (digits optional).
bool isMixedCaseToken(std::string_view match);
// The value after "Bearer": long enough and not a plain word.
bool isBearerToken(std::string_view match);
// The value of key=value / "key": "value": length, entropy > 3.5 and not a path or dotted name.
bool isGenericSecret(std::string_view match);
// A token's random part, not a placeholder: no letter or digit six times in a row, no
// "example", and a run of five or more letters and digits that, when 16 or longer, holds at
// least 3 bits of entropy per character. Turns down glpat-xxxxxxxxxxxxxxxxxxxx, sk-or-v1-000...
bool isRandomToken(std::string_view match);
// The base64 JSON object a token carries (sk.eyJ..., sntrys_eyJ..., glc_eyJ..., ops_eyJ...)
// decodes and parses: from the first "eyJ" to the end of its base64 run (or the last '_' in it).
bool isBase64JsonToken(std::string_view match);
// Discord bot token: its first part is the base64 of the bot's numeric id.
bool isDiscordToken(std::string_view match);
// AGE-SECRET-KEY-1...: a bech32 string whose checksum holds.
bool isAgeSecretKey(std::string_view match);
// The bech32 checksum polymod over values (each 0-31), for isAgeSecretKey and test fixtures.
uint32_t bech32Polymod(const uint8_t *values, size_t n);
// AccountKey=<88 base64>: 64 bytes, and not the key every Azure Storage emulator documents.
bool isAzureStorageKey(std::string_view match);
// sig=<percent-encoded base64>: a SAS signature, the base64 of a 32-byte HMAC.
bool isSasSignature(std::string_view match);
// The base64 of a private key without its PEM armour: an OpenSSH key ("openssh-key-v1\0") or a
// DER structure that opens like one: PKCS#1 (SEQUENCE, INTEGER 0, a long INTEGER), PKCS#8
// (SEQUENCE, INTEGER 0 or 1, an AlgorithmIdentifier of a key algorithm) or SEC1 (SEQUENCE,
// INTEGER 1, OCTET STRING). Certificates, public keys and signatures do not.
bool isDerPrivateKey(std::string_view match);
// scheme://user:password@h: a password that is not a port (digits only, up to 5) or a
// placeholder (password, secret, changeme, pass, one character repeated, ${VAR}, <...>, %s).
bool isUrlPassword(std::string_view match);

} // namespace airlock::validators
