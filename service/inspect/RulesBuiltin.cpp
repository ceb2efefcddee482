#include "inspect/RulesBuiltin.h"

#include "inspect/Validators.h"

namespace airlock {

namespace v = validators;

// Why the patterns look the way they do (see docs in RuleSet.h and DETECTION.md):
// - Digits are everywhere in JSON, so PII shapes are anchored on word boundaries and
//   separators; a bare digit run is never a phone or SSN unless a context word precedes it.
// - Repeats are bounded and there are no captures, so the combined RE2::Set DFA stays small
//   and each rule's own RE2 can locate a match with the DFA alone.
// - A rule that needs to see what follows its match consumes it (pii.email takes one ':' or
//   '/' so that isEmail can tell the SSH remote git@github.com:org/repo from an address).
// - Credential tokens whose alphabet includes '-' end with an explicit delimiter (or the end
//   of text) instead of \b, which would not fire between '-' and a space.
// - No pattern matches across a line break: a line break may only be the first character
//   of a match (a delimiter before it) or the last (a delimiter after it). RuleSet scans long
//   texts in blocks of whole lines and relies on this; tst_rules checks it.
// - Every match holds a run of 9 or more text bytes (tab, ' ' to '~'), or of 6 or more with
//   an '@' in it, and reaches at most 47 bytes before that run (keyword and gap of a context
//   rule: aws_secret's "secret" + 40 + 1 is the widest) and 1 byte after it. RuleSet matches
//   mostly binary blocks only within 64 bytes of such runs and relies on this; tst_rules
//   (gapsAndEdgesInBinary, foundAmidBinary) and fuzz_inspect check it. A new rule must keep it.
static constexpr BuiltinRule kRules[] = {
    {"pii.us_ssn",
     "pii",
     R"(\b(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4}|\d{3}/\d{2}/\d{4}|\d{3}_\d{2}_\d{4})\b)",
     &v::isSsn,
     {},
     false},
    {"pii.us_ssn",
     "pii",
     R"((?i:\b(?:ssn|social[ _-]?security(?:[ _-]?(?:number|no))?)\b)[^0-9\n]{0,20}\b\d{9}\b)",
     &v::isSsn,
     {},
     false},
    {"pii.email",
     "pii",
     R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:xn--[A-Za-z0-9\-]{1,59}|[A-Za-z]{2,24})\b[:/]?)",
     &v::isEmail,
     {},
     false,
     nullptr,
     &v::isEmailInBinary},
    {"pii.phone",
     "pii",
     R"(\(\d{3}\) ?\d{3}[-. ]\d{4}\b|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\+\d(?:[-. ()]{0,2}\d){7,14}\b)",
     &v::isValidPhone,
     {},
     true},
    {"pii.phone",
     "pii",
     R"((?i:\b(?:phone|tel|telephone|mobile|cell|fax)\b)[^0-9\n]{0,12}\b1?\d{10}\b)",
     &v::isValidPhone,
     {},
     true},
    {"pii.credit_card",
     "pii",
     R"(\b(?:\d{4}[-/_ ]?\d{4}[-/_ ]?\d{4}[-/_ ]?\d{1,7}|\d{4}[-/_ ]?\d{6}[-/_ ]?\d{4,5})\b)",
     nullptr,
     {},
     false,
     &v::findCardInChain},
    {"pii.iban", "pii", R"(\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)", &v::isIban, {}, false},

    {"cred.openai_key", "credential", R"(\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{80,})", nullptr, {}, false},
    {"cred.openai_key", "credential", R"(\bsk-[A-Za-z0-9_\-]{0,80}T3BlbkFJ[A-Za-z0-9_\-]{8,})", nullptr, {}, false},
    {"cred.anthropic_key",
     "credential",
     R"(\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_\-]{80,110}AA(?:[^A-Za-z0-9_\-]|$))",
     nullptr,
     {},
     false},
    {"cred.aws_access_key",
     "credential",
     R"(\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b)",
     &v::isAwsKeyId,
     {},
     false},
    {"cred.aws_secret_key",
     "credential",
     R"((?i:aws|secret)[^\n]{0,40}?[^A-Za-z0-9/+\n][A-Za-z0-9/+]{40}(?:[^A-Za-z0-9/+=]|$))",
     &v::isAwsSecret,
     {},
     false},
    {"cred.gcp_api_key", "credential", R"(\bAIza[0-9A-Za-z_\-]{35}(?:[^0-9A-Za-z_\-]|$))", nullptr, {}, false},
    {"cred.gcp_service_account", "credential", R"("?\btype"?[ \t]*[:=][ \t]*"?service_account\b)", nullptr,
     R"(private_key)", false},
    {"cred.github_token", "credential", R"(\bgh[pousr]_[A-Za-z0-9]{36}\b)", &v::isGithubToken, {}, false},
    {"cred.github_token", "credential", R"(\bgithub_pat_[A-Za-z0-9_]{82}\b)", nullptr, {}, false},
    {"cred.huggingface_token", "credential", R"(\b(?:hf_|api_org_)[A-Za-z0-9]{34}\b)", &v::isMixedCaseToken, {}, false},
    {"cred.slack_token",
     "credential",
     R"(\b(?:xox[bpe](?:\.xox[bp])?|xapp)-[0-9A-Za-z]+-[0-9A-Za-z\-]{10,})",
     nullptr,
     {},
     false},
    {"cred.slack_webhook",
     "credential",
     R"(hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{10,})",
     nullptr,
     {},
     false},
    {"cred.stripe_key", "credential", R"(\b[sr]k_(?:live|test|prod)_[0-9A-Za-z]{10,99}\b)", nullptr, {}, false},
    {"cred.private_key",
     "credential",
     R"(-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d)",
     nullptr,
     {},
     false},
    {"cred.jwt",
     "credential",
     R"(\be[wy][A-Za-z0-9_\-]{8,}\.e[wy][A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*)",
     &v::isJwt,
     {},
     false},
    {"cred.bearer_token",
     "credential",
     R"((?i:\bbearer)[ \t]+[A-Za-z0-9\-._~+/]{16,}=*)",
     &v::isBearerToken,
     {},
     false},
    // scheme://user:password@host, as in connection strings (postgres://app:s3cr3t@db/...) and
    // URLs with their credentials written in; isUrlPassword turns down ports and placeholders.
    {"cred.url_password",
     "credential",
     R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[A-Za-z0-9._~%!$&'()*+,;=\-]{1,64}:[A-Za-z0-9._~%!$&'()*+,;=\-]{3,128}@[A-Za-z0-9\[])",
     &v::isUrlPassword,
     {},
     false},
    {"cred.generic_secret",
     "credential",
     R"((?i:(?:^|[^a-z0-9])(?:api_?key|secret_?key|access_?token|auth_?token|client_?secret|secret|token|passwd|password|pwd|key))["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9+/=_\-.~!#$%^&*@?()<>|;,]{8,})",
     &v::isGenericSecret,
     {},
     false},
};

std::span<const BuiltinRule> builtinRules() {
    return kRules;
}

} // namespace airlock
