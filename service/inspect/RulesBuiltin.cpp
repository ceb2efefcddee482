#include "inspect/RulesBuiltin.h"

#include "inspect/Validators.h"

namespace airlock {

namespace v = validators;

namespace {

using Validator = bool (*)(std::string_view);

constexpr std::string_view kRandom =
    "not a placeholder (no character six times in a row, no \"example\", random enough)";
constexpr std::string_view kShape = "the prefix and shape are proof enough";

// A credential format: one pattern, its validator, and what the README says of it.
constexpr BuiltinRule cred(std::string_view id, std::string_view pattern, Validator validate, std::string_view what,
                           std::string_view check = kRandom) {
    BuiltinRule r;
    r.id = id;
    r.kind = "credential";
    r.pattern = pattern;
    r.validate = validate;
    r.what = what;
    // Not "validate ? check : kShape": a function pointer's test is no constant expression under
    // the sanitizers; a format without a validator names kShape itself.
    r.check = check;
    return r;
}

// A further shape of a format whose first entry describes it.
constexpr BuiltinRule more(std::string_view id, std::string_view pattern, Validator validate) {
    BuiltinRule r;
    r.id = id;
    r.kind = "credential";
    r.pattern = pattern;
    r.validate = validate;
    return r;
}

// A format whose pattern opens with characters of a class, not with its literal: a run of hex
// digits to count (model traffic is full of hex digests) or a digit to remember before "Q~".
// Each such opening multiplies the states the Set's DFA goes through on clean text (measured:
// the 32/36-hex openings alone cost more cache misses than a hundred prefix-led formats), so
// the Set looks for the literal only and the rule's own pattern decides.
constexpr BuiltinRule prefiltered(BuiltinRule r, std::string_view prefilter) {
    r.prefilter = prefilter;
    return r;
}

} // namespace

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
// - A format with a short prefix and a body of letters and digits of no fixed length ends with
//   a delimiter that is not a base64 or base64url character either (cio..., LTAI..., fw_...,
//   1//0..., EAA...; aws_secret's value): in the base64 of a photo or an archive such a prefix
//   turns up every few hundred MB; a real token is followed by a quote, a space or a line break.
// - Credential formats lead with their literal prefix where they have one: the Set's DFA then
//   leaves a rule behind at the first byte that does not continue the prefix, so each format
//   adds little to the pass over clean traffic (one opening with a class is what costs: see
//   prefiltered()). A format without a prefix (a bare 32-hex key) is not a format: hex digests
//   are everywhere in model downloads.
static constexpr BuiltinRule kRules[] = {
    {"pii.us_ssn",
     "pii",
     R"(\b(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4}|\d{3}/\d{2}/\d{4}|\d{3}_\d{2}_\d{4})\b)",
     &v::isSsn,
     {},
     false,
     nullptr,
     nullptr,
     "`AAA-GG-SSSS` (also separated by spaces, dots, `/` or `_`, one kind throughout; bare 9 digits next to \"SSN\")",
     "area not 000/666/9xx, group and serial not zero, not all one digit"},
    {"pii.us_ssn",
     "pii",
     R"((?i:\b(?:ssn|social[ _-]?security(?:[ _-]?(?:number|no))?)\b)[^0-9\n]{0,20}\b\d{9}\b)",
     &v::isSsn,
     {},
     false,
     nullptr,
     nullptr,
     {},
     {}},
    {"pii.email",
     "pii",
     R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:xn--[A-Za-z0-9\-]{1,59}|[A-Za-z]{2,24})\b[:/]?)",
     &v::isEmail,
     {},
     false,
     nullptr,
     &v::isEmailInBinary,
     "addresses (Unicode ones too, as IDN punycode; spelled out as `name [at] domain [dot] org`)",
     "a real top-level domain (`icon@2x.png` is a file name); `git@host:` and `git@host/` are SSH remotes "
     "(`git@github.com:org/repo.git`, `ssh://git@hf.co/...`)"},
    {"pii.phone",
     "pii",
     R"(\(\d{3}\) ?\d{3}[-. ]\d{4}\b|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\+\d(?:[-. ()]{0,2}\d){7,14}\b)",
     &v::isValidPhone,
     {},
     true,
     nullptr,
     nullptr,
     "phone numbers (US and `+` international)",
     "libphonenumber; bare 10-digit integers (sizes, timestamps) are not phones"},
    {"pii.phone",
     "pii",
     R"((?i:\b(?:phone|tel|telephone|mobile|cell|fax)\b)[^0-9\n]{0,12}\b1?\d{10}\b)",
     &v::isValidPhone,
     {},
     true,
     nullptr,
     nullptr,
     {},
     {}},
    {"pii.credit_card",
     "pii",
     R"(\b(?:\d{4}[-/_ ]?\d{4}[-/_ ]?\d{4}[-/_ ]?\d{1,7}|\d{4}[-/_ ]?\d{6}[-/_ ]?\d{4,5})\b)",
     nullptr,
     {},
     false,
     &v::findCardInChain,
     nullptr,
     "13-19 digits, optionally grouped by spaces, dashes, `/` or `_`",
     "Luhn, issuer prefix and length; epoch milliseconds excluded"},
    {"pii.iban",
     "pii",
     R"(\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b)",
     &v::isIban,
     {},
     false,
     nullptr,
     nullptr,
     "IBANs",
     "country length and mod-97"},

    {"cred.openai_key",
     "credential",
     R"(\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{80,})",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "OpenAI API key (`sk-proj-`, `sk-svcacct-`, `sk-admin-`, or the legacy `T3BlbkFJ` marker)",
     kShape},
    {"cred.openai_key",
     "credential",
     R"(\bsk-[A-Za-z0-9_\-]{0,80}T3BlbkFJ[A-Za-z0-9_\-]{8,})",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     {},
     {}},
    {"cred.anthropic_key",
     "credential",
     R"(\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_\-]{80,110}AA(?:[^A-Za-z0-9_\-]|$))",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "Anthropic API or admin key (`sk-ant-api03-`, `sk-ant-admin01-`)",
     kShape},

    {"cred.aws_access_key",
     "credential",
     R"(\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b)",
     &v::isAwsKeyId,
     {},
     false,
     nullptr,
     nullptr,
     "AWS access key id (`AKIA`, `ASIA`, `ABIA`, `ACCA`, `A3T`)",
     "not a documentation example (`...EXAMPLE`)"},
    {"cred.aws_secret_key",
     "credential",
     R"((?i:aws|secret)[^\n]{0,40}?[^A-Za-z0-9/+\n_\-][A-Za-z0-9/+]{40}(?:[^A-Za-z0-9/+=_\-]|$))",
     &v::isAwsSecret,
     {},
     false,
     nullptr,
     nullptr,
     "AWS secret access key (40 base64 characters within 40 bytes of aws / secret)",
     "upper, lower and digits, entropy > 4 bits, no EXAMPLE (the documentation's key)"},
    {"cred.gcp_api_key",
     "credential",
     R"(\bAIza[0-9A-Za-z_\-]{35}(?:[^0-9A-Za-z_\-]|$))",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "Google API key (AIza), Gemini included",
     kShape},
    {"cred.gcp_service_account", "credential", R"("?\btype"?[ \t]*[:=][ \t]*"?service_account\b)", nullptr,
     R"(private_key)", false, nullptr, nullptr, "Google Cloud service-account key file",
     "\"type\": \"service_account\" and a private_key in the same text"},

    {"cred.github_token",
     "credential",
     R"(\bgh[pousr]_[A-Za-z0-9]{36}\b)",
     &v::isGithubToken,
     {},
     false,
     nullptr,
     nullptr,
     "GitHub token, every kind: classic PAT (`ghp_`), OAuth (`gho_`), user-to-server (`ghu_`), server-to-server "
     "(`ghs_`), "
     "refresh (`ghr_`), fine-grained PAT (`github_pat_`)",
     "ghp_/gho_/ghu_/ghs_/ghr_: the last 6 characters are the base62 CRC32 of the 30 before"},
    {"cred.github_token",
     "credential",
     R"(\bgithub_pat_[A-Za-z0-9_]{82}\b)",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     {},
     {}},
    {"cred.huggingface_token",
     "credential",
     R"(\b(?:hf_|api_org_)[A-Za-z0-9]{34}\b)",
     &v::isMixedCaseToken,
     {},
     false,
     nullptr,
     nullptr,
     "Hugging Face user or organisation token (`hf_`, `api_org_`)",
     "upper and lower case letters (not a placeholder)"},

    {"cred.slack_token",
     "credential",
     R"(\b(?:xox[bpe](?:\.xox[bp])?|xapp)-[0-9A-Za-z]+-[0-9A-Za-z\-]{10,})",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "Slack bot, user, configuration and app tokens (`xoxb-`, `xoxp-`, `xoxe-`, `xoxe.xoxp-`, `xapp-`)",
     kShape},
    {"cred.slack_webhook",
     "credential",
     R"(hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{10,})",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "Slack incoming webhook or workflow trigger URL (`hooks.slack.com/...`)",
     kShape},

    {"cred.stripe_key",
     "credential",
     R"(\b[sr]k_(?:live|test|prod)_[0-9A-Za-z]{10,99}\b)",
     &v::isStripeKey,
     {},
     false,
     nullptr,
     nullptr,
     "Stripe secret or restricted key (`sk_live_`, `rk_live_`, `_test_`, `_prod_`)",
     "not a test key published in Stripe's documentation"},

    {"cred.private_key",
     "credential",
     R"(-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d)",
     nullptr,
     {},
     false,
     nullptr,
     nullptr,
     "private key: any PEM -----BEGIN ... PRIVATE KEY----- header, a PuTTY key file, or the base64 of an "
     "OpenSSH, PKCS#1, PKCS#8 or SEC1 key without its armour",
     "armoured: the header is enough; bare base64: it decodes to an OpenSSH key or a DER private key "
     "structure (not a certificate or public key)"},
    {"cred.jwt",
     "credential",
     R"(\be[wy][A-Za-z0-9_\-]{8,}\.e[wy][A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*)",
     &v::isJwt,
     {},
     false,
     nullptr,
     nullptr,
     "JSON Web Token",
     "header and payload decode to JSON objects"},
    {"cred.bearer_token",
     "credential",
     R"((?i:\bbearer)[ \t]+[A-Za-z0-9\-._~+/]{16,}=*)",
     &v::isBearerToken,
     {},
     false,
     nullptr,
     nullptr,
     "Bearer token in text",
     "16 characters or more, not a plain word"},
    // scheme://user:password@host, as in connection strings (postgres://app:s3cr3t@db/...) and
    // URLs with their credentials written in; isUrlPassword turns down ports and placeholders.
    {"cred.url_password",
     "credential",
     R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[A-Za-z0-9._~%!$&'()*+,;=\-]{1,64}:[A-Za-z0-9._~%!$&'()*+,;=\-]{3,128}@[A-Za-z0-9\[])",
     &v::isUrlPassword,
     {},
     false,
     nullptr,
     nullptr,
     "a password written into a URL, `scheme://user:password@host` (connection strings such as "
     "`postgres://app:...@db/`, `mongodb+srv://...`)",
     "not a port (`host:3128@`) or a placeholder (`password`, `${VAR}`, `<...>`, `***`)"},
    {"cred.generic_secret",
     "credential",
     R"((?i:(?:^|[^a-z0-9])(?:api_?key|secret_?key|access_?token|auth_?token|client_?secret|secret|token|passwd|password|pwd|key))["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9+/=_\-.~!#$%^&*@?()<>|;,]{8,})",
     &v::isGenericSecret,
     {},
     false,
     nullptr,
     nullptr,
     "`key`/`secret`/`token`/`password`/`api_key`... `=` or `:` a value",
     "the value's Shannon entropy; not a hex digest under a bare `key` or `token`, a path, a dotted name or an "
     "`example`"},

    // --- Formats with a recognisable prefix or structure, grouped by what they unlock ---
    // AI and LLM API providers.
    cred("cred.groq_key", R"(\bgsk_[A-Za-z0-9]{52}\b)", &v::isRandomToken, "Groq API key (gsk_)"),
    cred("cred.xai_key", R"(\bxai-[A-Za-z0-9]{80}\b)", &v::isRandomToken, "xAI API key (xai-)"),
    cred("cred.perplexity_key", R"(\bpplx-[A-Za-z0-9]{32,64}(?:[^A-Za-z0-9+/=_\-]|$))", &v::isRandomToken,
         "Perplexity API key (pplx-)"),
    cred("cred.replicate_token", R"(\br8_[A-Za-z0-9]{37}\b)", &v::isRandomToken, "Replicate API token (r8_)"),
    cred("cred.openrouter_key", R"(\bsk-or-v1-[0-9a-f]{64}\b)", &v::isRandomToken, "OpenRouter API key (sk-or-v1-)"),
    cred("cred.deepseek_key", R"(\bsk-[0-9a-f]{32}\b)", &v::isRandomToken,
         "DeepSeek-style API key (sk- and exactly 32 hex digits)"),
    cred("cred.langsmith_key", R"(\blsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}\b)", &v::isRandomToken,
         "LangSmith personal or service key (`lsv2_pt_`, `lsv2_sk_`)"),
    cred("cred.langfuse_secret_key", R"(\bsk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)",
         &v::isRandomToken, "Langfuse secret key (sk-lf- and a UUID)"),
    cred("cred.pinecone_key", R"(\bpcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,80}\b)", &v::isRandomToken,
         "Pinecone API key (`pcsk_`)"),
    cred("cred.fireworks_key", R"(\bfw_[A-Za-z0-9]{24,48}(?:[^A-Za-z0-9+/=_\-]|$))", &v::isRandomToken,
         "Fireworks AI API key (fw_)"),
    cred("cred.together_key", R"(\btgp_v1_[A-Za-z0-9_\-]{43}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Together AI API key (`tgp_v1_`)"),
    cred("cred.cerebras_key", R"(\bcsk-[a-z0-9]{48}\b)", &v::isRandomToken, "Cerebras API key (csk-)"),
    cred("cred.nvidia_key", R"(\bnvapi-[A-Za-z0-9_\-]{64}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "NVIDIA NIM / build.nvidia.com API key (`nvapi-`)"),
    cred("cred.elevenlabs_key", R"(\bsk_[0-9a-f]{48}\b)", &v::isRandomToken, "ElevenLabs API key (sk_ and 48 hex)"),
    cred("cred.tavily_key", R"(\btvly-(?:dev-|prod-)?[A-Za-z0-9]{32}\b)", &v::isRandomToken, "Tavily API key (tvly-)"),
    // Cloud providers.
    cred("cred.google_oauth_token", R"(\bya29\.[A-Za-z0-9_\-]{30,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Google OAuth access token (`ya29.`)"),
    cred("cred.google_oauth_client_secret", R"(\bGOCSPX-[A-Za-z0-9_\-]{28}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Google OAuth client secret (`GOCSPX-`)"),
    cred("cred.google_refresh_token", R"(\b1//0[A-Za-z0-9_\-]{40,}(?:[^A-Za-z0-9_\-+/=]|$))", &v::isRandomToken,
         "Google OAuth refresh token (1//0)"),
    cred("cred.firebase_fcm_key", R"(\bAAAA[A-Za-z0-9_\-]{7}:APA91b[A-Za-z0-9_\-]{134}(?:[^A-Za-z0-9_\-]|$))",
         &v::isRandomToken, "Firebase Cloud Messaging server key (`AAAA...:APA91b`)"),
    cred("cred.azure_storage_key", R"((?i:AccountKey)=[A-Za-z0-9+/]{86}==)", &v::isAzureStorageKey,
         "Azure Storage / Cosmos DB account key in a connection string (AccountKey=)",
         "decodes to 64 bytes; not the storage emulator's published key"),
    cred("cred.azure_shared_access_key", R"(\bSharedAccessKey=[A-Za-z0-9+/]{43}=)", &v::isRandomToken,
         "Azure Service Bus / Event Hubs / IoT Hub key in a connection string (SharedAccessKey=)"),
    {"cred.azure_sas_token", "credential", R"([?&;]sig=[A-Za-z0-9%+/]{43,60})", &v::isSasSignature,
     R"([?&;]sv=20[0-9]{2}-[0-9]{2}-[0-9]{2})", false, nullptr, nullptr,
     "Azure shared access signature (sig= with sv= in the same text)", "the signature is the base64 of a 32-byte HMAC"},
    prefiltered(cred("cred.azure_ad_client_secret", R"([0-9]Q~[A-Za-z0-9_~.\-]{31,34}(?:[^A-Za-z0-9_~.\-]|$))",
                     &v::isRandomToken, "Microsoft Entra ID (Azure AD) client secret (`xxxNQ~...`)"),
                R"(Q~)"),
    cred("cred.digitalocean_pat", R"(\bdop_v1_[0-9a-f]{64}\b)", &v::isRandomToken,
         "DigitalOcean personal access token (`dop_v1_`)"),
    cred("cred.digitalocean_oauth_token", R"(\bdoo_v1_[0-9a-f]{64}\b)", &v::isRandomToken,
         "DigitalOcean OAuth token (`doo_v1_`)"),
    cred("cred.digitalocean_refresh_token", R"(\bdor_v1_[0-9a-f]{64}\b)", &v::isRandomToken,
         "DigitalOcean refresh token (`dor_v1_`)"),
    cred("cred.heroku_key", R"(\bHRKU-AA[A-Za-z0-9_\-]{58}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Heroku API key (`HRKU-AA`)"),
    cred("cred.alibaba_access_key", R"(\bLTAI[A-Za-z0-9]{12,20}(?:[^A-Za-z0-9+/=_\-]|$))", &v::isRandomToken,
         "Alibaba Cloud AccessKey id (`LTAI`)"),
    cred("cred.tencent_secret_id", R"(\bAKID[A-Za-z0-9]{32}\b)", &v::isRandomToken, "Tencent Cloud SecretId (AKID)"),
    cred("cred.cloudflare_origin_ca_key", R"(\bv1\.0-[0-9a-f]{24}-[0-9a-f]{146}\b)", &v::isRandomToken,
         "Cloudflare Origin CA key (`v1.0-`)"),
    cred("cred.scaleway_access_key", R"(\bSCW[A-Z0-9]{17}\b)", &v::isRandomToken, "Scaleway access key (SCW)"),
    cred("cred.flyio_token", R"(\bFlyV1 fm[12][a-z]?_[A-Za-z0-9+/=_\-]{100,})", &v::isRandomToken,
         "Fly.io token (`FlyV1 fm1_`/`fm2_` macaroons, `fo1_`)"),
    more("cred.flyio_token", R"(\bfo1_[A-Za-z0-9_\-]{43}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken),
    cred("cred.supabase_pat", R"(\bsbp_(?:v0_)?[0-9a-f]{40}\b)", &v::isRandomToken,
         "Supabase personal access token (`sbp_`)"),
    cred("cred.supabase_secret_key", R"(\bsb_secret_[A-Za-z0-9_\-]{31,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Supabase secret API key (`sb_secret_`)"),
    cred("cred.databricks_token", R"(\bdapi[0-9a-f]{32}(?:-[0-9])?\b)", &v::isRandomToken,
         "Databricks personal access token (dapi)"),
    // Source hosting.
    cred("cred.gitlab_pat", R"(\bglpat-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab personal, project or group access token (`glpat-`)"),
    cred("cred.gitlab_deploy_token", R"(\bgldt-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab deploy token (`gldt-`)"),
    cred("cred.gitlab_runner_token", R"(\bglrt-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab runner authentication token (`glrt-`)"),
    cred("cred.gitlab_runner_registration", R"(\bGR1348941[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab runner registration token (`GR1348941`)"),
    cred("cred.gitlab_trigger_token", R"(\bglptt-[0-9a-f]{40}\b)", &v::isRandomToken,
         "GitLab pipeline trigger token (`glptt-`)"),
    cred("cred.gitlab_ci_job_token", R"(\bglcbt-(?:[0-9a-fA-F]{1,5}_)?[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))",
         &v::isRandomToken, "GitLab CI/CD job token (`glcbt-`)"),
    cred("cred.gitlab_feed_token", R"(\bglft-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab feed token (`glft-`)"),
    cred("cred.gitlab_incoming_mail_token", R"(\bglimt-[A-Za-z0-9_\-]{25,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab incoming mail token (`glimt-`)"),
    cred("cred.gitlab_agent_token", R"(\bglagent-[A-Za-z0-9_\-]{50,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab agent for Kubernetes token (`glagent-`)"),
    cred("cred.gitlab_scim_token", R"(\bglsoat-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab SCIM OAuth token (`glsoat-`)"),
    cred("cred.gitlab_oauth_secret", R"(\bgloas-[A-Za-z0-9_\-]{64,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab OAuth application secret (`gloas-`)"),
    cred("cred.gitlab_feature_flag_token", R"(\bglffct-[A-Za-z0-9_\-]{20,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "GitLab feature flags client token (`glffct-`)"),
    cred("cred.bitbucket_app_password", R"(\bATBB[A-Za-z0-9]{32}\b)", &v::isRandomToken,
         "Bitbucket app password (`ATBB`)"),
    cred("cred.atlassian_api_token", R"(\bATATT3[A-Za-z0-9_\-=]{150,}(?:[^A-Za-z0-9_\-=]|$))", &v::isRandomToken,
         "Atlassian (Jira, Confluence, Bitbucket) API token (`ATATT3`)"),

    // Package and container registries.
    cred("cred.npm_token", R"(\bnpm_[A-Za-z0-9]{36}\b)", &v::isRandomToken, "npm access token (npm_)"),
    cred("cred.pypi_token", R"(\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,})", &v::isRandomToken,
         "PyPI / TestPyPI upload token (a macaroon for pypi.org: pypi-AgEIcHlwaS5vcmc)"),
    cred("cred.rubygems_key", R"(\brubygems_[0-9a-f]{48}\b)", &v::isRandomToken, "RubyGems API key (rubygems_)"),
    cred("cred.nuget_key", R"(\boy2[a-z0-9]{43}\b)", &v::isRandomToken, "NuGet API key (oy2)"),
    cred("cred.cratesio_token", R"(\bcio[A-Za-z0-9]{32}(?:[^A-Za-z0-9+/=_\-]|$))", &v::isRandomToken,
         "crates.io API token (cio)"),
    cred("cred.clojars_token", R"(\bCLOJARS_[a-z0-9]{60}\b)", &v::isRandomToken, "Clojars deploy token (CLOJARS_)"),
    cred("cred.docker_hub_pat", R"(\bdckr_pat_[A-Za-z0-9_\-]{27,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Docker Hub personal access token (`dckr_pat_`)"),
    cred("cred.docker_hub_org_token", R"(\bdckr_oat_[A-Za-z0-9_\-]{27,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Docker Hub organisation access token (`dckr_oat_`)"),
    cred("cred.artifactory_api_key", R"(\bAKCp[A-Za-z0-9]{69}\b)", &v::isRandomToken,
         "JFrog Artifactory API key (`AKCp`)"),
    cred("cred.artifactory_reference_token", R"(\bcmVmdGtu[A-Za-z0-9]{56}\b)", &v::isRandomToken,
         "JFrog reference token (base64 of reftkn)"),

    // CI/CD, infrastructure and secret managers.
    cred("cred.vault_service_token", R"(\bhvs\.[A-Za-z0-9_\-]{24,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "HashiCorp Vault service token (`hvs.`)"),
    cred("cred.vault_batch_token", R"(\bhvb\.[A-Za-z0-9_\-]{60,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "HashiCorp Vault batch token (`hvb.`)"),
    cred("cred.terraform_cloud_token", R"(\.atlasv1\.[A-Za-z0-9_=\-]{60,}(?:[^A-Za-z0-9_=\-]|$))", &v::isRandomToken,
         "HCP Terraform / Terraform Enterprise API token (`xxxxxxxxxxxxxx.atlasv1.`)"),
    cred("cred.doppler_token", R"(\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9_\-.]{40,}(?:[^A-Za-z0-9_\-.]|$))",
         &v::isRandomToken, "Doppler token: personal, service, service account, CLI, SCIM, audit (dp.pt. ...)"),
    cred("cred.pulumi_token", R"(\bpul-[0-9a-f]{40}\b)", &v::isRandomToken, "Pulumi access token (pul-)"),
    cred("cred.circleci_pat", R"(\bCCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}\b)", &v::isRandomToken,
         "CircleCI personal API token (`CCIPAT_`)"),
    cred("cred.circleci_project_token", R"(\bCCIPRJ_[A-Za-z0-9]{22}_[0-9a-f]{40}\b)", &v::isRandomToken,
         "CircleCI project API token (`CCIPRJ_`)"),
    cred("cred.buildkite_token", R"(\bbkua_[0-9a-f]{40}\b)", &v::isRandomToken, "Buildkite API access token (bkua_)"),
    cred("cred.harness_token", R"(\b(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20}\b)",
         &v::isRandomToken, "Harness personal or service account token (`pat.`, `sat.`)"),
    cred("cred.octopus_key", R"(\bAPI-[A-Z0-9]{26}\b)", &v::isRandomToken, "Octopus Deploy API key (API-)"),
    cred("cred.scalingo_token", R"(\btk-us-[A-Za-z0-9_\-]{48}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Scalingo API token (`tk-us-`)"),
    cred("cred.infracost_key", R"(\bico-[A-Za-z0-9]{32}\b)", &v::isRandomToken, "Infracost API key (ico-)"),
    cred("cred.prefect_key", R"(\bpnu_[A-Za-z0-9]{36}\b)", &v::isRandomToken, "Prefect API key (pnu_)"),
    cred("cred.defined_networking_key", R"(\bdnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52}(?:[^A-Za-z0-9=_\-]|$))",
         &v::isRandomToken, "Defined Networking (Nebula) API key (`dnkey-`)"),
    cred("cred.age_secret_key", R"(\bAGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\b)", &v::isAgeSecretKey,
         "age encryption secret key (`AGE-SECRET-KEY-1`)", "the bech32 checksum holds"),
    cred("cred.onepassword_secret_key",
         R"(\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\b)",
         &v::isRandomToken, "1Password account Secret Key (`A3-`)"),
    cred("cred.onepassword_service_token", R"(\bops_eyJ[A-Za-z0-9+/]{100,}={0,2})", &v::isBase64JsonToken,
         "1Password service account token (`ops_`)", "the base64 after ops_ is a JSON object"),

    // Databases.
    cred("cred.planetscale_token", R"(\bpscale_tkn_[A-Za-z0-9_\-.]{32,64}(?:[^A-Za-z0-9_\-.]|$))", &v::isRandomToken,
         "PlanetScale service token (`pscale_tkn_`)"),
    cred("cred.planetscale_password", R"(\bpscale_pw_[A-Za-z0-9_\-.]{32,64}(?:[^A-Za-z0-9_\-.]|$))", &v::isRandomToken,
         "PlanetScale database password (`pscale_pw_`)"),
    cred("cred.planetscale_oauth_token", R"(\bpscale_oauth_[A-Za-z0-9_\-.]{32,64}(?:[^A-Za-z0-9_\-.]|$))",
         &v::isRandomToken, "PlanetScale OAuth token (`pscale_oauth_`)"),

    // Messaging and chat bots.
    cred("cred.slack_legacy_token", R"(\bxox[aors]-[0-9A-Za-z]{1,20}-[0-9A-Za-z\-]{10,})", &v::isRandomToken,
         "Slack legacy workspace and bot tokens (`xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`)"),
    cred("cred.telegram_bot_token", R"(\b(?:bot)?[0-9]{8,10}:AA[A-Za-z0-9_\-]{33}(?:[^A-Za-z0-9_\-]|$))",
         &v::isRandomToken, "Telegram bot token (bot id:AA...)"),
    cred("cred.discord_bot_token",
         R"(\b[MNO][DTjz][A-Za-z0-9_\-]{22,24}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38}(?:[^A-Za-z0-9_\-.]|$))",
         &v::isDiscordToken, "Discord bot token", "the first part is the base64 of the bot's numeric id"),
    cred("cred.discord_webhook", R"(discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_\-]{60,68})",
         &v::isRandomToken, "Discord webhook URL"),
    cred(
        "cred.teams_webhook",
        R"(\.webhook\.office\.com/webhookb2/[0-9a-f\-]{36}@[0-9a-f\-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f\-]{36})",
        nullptr, "Microsoft Teams incoming webhook URL", kShape),
    cred("cred.twilio_api_key", R"(\bSK[0-9a-f]{32}\b)", &v::isRandomToken, "Twilio API key (SK and 32 hex)"),

    // E-mail services.
    cred("cred.sendgrid_key", R"(\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "SendGrid API key (`SG.`)"),
    cred("cred.brevo_key", R"(\bx(?:keysib|smtpsib)-[0-9a-f]{64}-[A-Za-z0-9]{16}\b)", &v::isRandomToken,
         "Brevo (Sendinblue) API or SMTP key (`xkeysib-`, `xsmtpsib-`)"),
    prefiltered(cred("cred.mailchimp_key", R"(\b[0-9a-f]{32}-us[0-9]{1,2}\b)", &v::isRandomToken,
                     "Mailchimp API key (32 hex and the data centre, -us1 ...)"),
                R"(-us[0-9]{1,2}\b)"),
    cred("cred.resend_key", R"(\bre_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}\b)", &v::isRandomToken, "Resend API key (re_)"),

    // Payments and commerce.
    cred("cred.stripe_webhook_secret", R"(\bwhsec_[A-Za-z0-9+/=]{32,})", &v::isRandomToken,
         "Stripe (or Svix) webhook signing secret (`whsec_`)"),
    cred("cred.square_access_token", R"(\bsq0atp-[A-Za-z0-9_\-]{22}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Square access token (`EAAA`, `sq0atp-`)"),
    more("cred.square_access_token", R"(\bEAAA[A-Za-z0-9_\-]{60}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken),
    cred("cred.square_oauth_secret", R"(\bsq0csp-[A-Za-z0-9_\-]{43}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Square OAuth application secret (`sq0csp-`)"),
    cred("cred.braintree_token", R"(\baccess_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}\b)",
         &v::isRandomToken, "PayPal Braintree access token (`access_token$production$`)"),
    cred("cred.shopify_access_token", R"(\bshpat_[0-9a-fA-F]{32}\b)", &v::isRandomToken,
         "Shopify Admin API access token (`shpat_`)"),
    cred("cred.shopify_custom_app_token", R"(\bshpca_[0-9a-fA-F]{32}\b)", &v::isRandomToken,
         "Shopify custom app access token (`shpca_`)"),
    cred("cred.shopify_private_app_token", R"(\bshppa_[0-9a-fA-F]{32}\b)", &v::isRandomToken,
         "Shopify private app access token (`shppa_`)"),
    cred("cred.shopify_shared_secret", R"(\bshpss_[0-9a-fA-F]{32}\b)", &v::isRandomToken,
         "Shopify app shared secret (`shpss_`)"),
    cred("cred.flutterwave_secret_key", R"(\bFLWSECK(?:_TEST)?-[0-9a-f]{32}-X\b)", &v::isRandomToken,
         "Flutterwave secret key (`FLWSECK-`)"),
    cred("cred.flutterwave_encryption_key", R"(\bFLWSECK(?:_TEST)?[0-9a-f]{12}\b)", &v::isRandomToken,
         "Flutterwave encryption key (FLWSECK_TEST and 12 hex)"),
    cred(
        "cred.plaid_access_token",
        R"(\baccess-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)",
        &v::isRandomToken, "Plaid access token (`access-production-`, `-development-`, `-sandbox-`)"),
    cred("cred.duffel_token", R"(\bduffel_(?:test|live)_[A-Za-z0-9_\-=]{43}(?:[^A-Za-z0-9_\-=]|$))", &v::isRandomToken,
         "Duffel API token (`duffel_live_`, `duffel_test_`)"),
    cred("cred.easypost_key", R"(\bEZ[AT]K[0-9A-Za-z]{54}\b)", &v::isRandomToken,
         "EasyPost production or test API key (`EZAK`, `EZTK`)"),
    cred("cred.shippo_token", R"(\bshippo_(?:live|test)_[0-9a-f]{40}\b)", &v::isRandomToken,
         "Shippo API token (`shippo_live_`, `shippo_test_`)"),

    // Observability.
    cred("cred.newrelic_user_key", R"(\bNRAK-[A-Z0-9]{27}\b)", &v::isRandomToken, "New Relic user API key (NRAK-)"),
    cred("cred.newrelic_insert_key", R"(\bNRII-[A-Za-z0-9_\-]{32}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "New Relic insert key (`NRII-`)"),
    prefiltered(cred("cred.newrelic_license_key", R"(\b[0-9a-f]{36}NRAL\b)", &v::isRandomToken,
                     "New Relic ingest licence key (40 characters ending NRAL)"),
                R"(NRAL\b)"),
    cred("cred.sentry_org_token", R"(\bsntrys_eyJ[A-Za-z0-9+/=_]{60,})", &v::isBase64JsonToken,
         "Sentry organisation auth token (`sntrys_`)", "the base64 after sntrys_ is a JSON object"),
    cred("cred.sentry_user_token", R"(\bsntryu_[0-9a-f]{64}\b)", &v::isRandomToken, "Sentry user auth token (sntryu_)"),
    cred("cred.grafana_cloud_token", R"(\bglc_eyJ[A-Za-z0-9+/]{32,}={0,2})", &v::isBase64JsonToken,
         "Grafana Cloud access policy token (`glc_`)", "the base64 after glc_ is a JSON object"),
    cred("cred.grafana_service_account_token", R"(\bglsa_[A-Za-z0-9]{32}_[0-9a-fA-F]{8}\b)", &v::isRandomToken,
         "Grafana service account token (`glsa_`)"),
    cred("cred.dynatrace_token", R"(\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b)", &v::isRandomToken,
         "Dynatrace API token (`dt0c01.`)"),
    cred("cred.axiom_token", R"(\bxa[ap]t-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)",
         &v::isRandomToken, "Axiom API or personal token (`xaat-`, `xapt-`)"),
    cred("cred.honeycomb_key", R"(\bhc[ax]i[kc]_[0-9a-z]{56,64}\b)", &v::isRandomToken,
         "Honeycomb ingest or configuration key (`hcaik_`, `hcaic_`, `hcxik_`, `hcxic_`)"),

    // Collaboration, design and content tools.
    cred("cred.linear_key", R"(\blin_api_[A-Za-z0-9]{40}\b)", &v::isRandomToken, "Linear API key (lin_api_)"),
    cred("cred.notion_token", R"(\bntn_[0-9]{11}[A-Za-z0-9]{35}\b)", &v::isRandomToken,
         "Notion integration token (`ntn_`, and the older secret_ with 43 characters)"),
    more("cred.notion_token", R"(\bsecret_[A-Za-z0-9]{43}\b)", &v::isRandomToken),
    cred("cred.postman_key", R"(\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\b)", &v::isRandomToken, "Postman API key (PMAK-)"),
    cred("cred.figma_token", R"(\bfig[do]_[A-Za-z0-9_\-]{40}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Figma personal access or OAuth token (`figd_`, `figo_`)"),
    cred("cred.airtable_pat", R"(\bpat[A-Za-z0-9]{14}\.[0-9a-f]{64}\b)", &v::isRandomToken,
         "Airtable personal access token (`pat...`)"),
    cred("cred.typeform_token", R"(\btfp_[A-Za-z0-9_\-.]{40,70}(?:[^A-Za-z0-9_\-.]|$))", &v::isRandomToken,
         "Typeform personal access token (`tfp_`)"),
    cred("cred.frameio_token", R"(\bfio-u-[A-Za-z0-9_=\-]{64}(?:[^A-Za-z0-9_=\-]|$))", &v::isRandomToken,
         "Frame.io developer token (`fio-u-`)"),
    cred("cred.readme_key", R"(\brdme_[a-z0-9]{70}\b)", &v::isRandomToken, "ReadMe API key (rdme_)"),
    cred("cred.sourcegraph_token", R"(\bsgp_(?:[0-9a-f]{16}_)?[0-9a-f]{40}\b)", &v::isRandomToken,
         "Sourcegraph access token (`sgp_`)"),
    cred("cred.contentful_pat", R"(\bCFPAT-[A-Za-z0-9_\-]{43}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Contentful personal access token (`CFPAT-`)"),
    cred("cred.dropbox_token", R"(\bsl\.(?:u\.)?[A-Za-z0-9_\-]{130,}(?:[^A-Za-z0-9_\-]|$))", &v::isRandomToken,
         "Dropbox short-lived access token (`sl.`)"),
    cred("cred.meta_access_token", R"(\bEAA[B-Z][A-Za-z0-9]{100,}(?:[^A-Za-z0-9+/=_\-]|$))", &v::isRandomToken,
         "Meta (Facebook, Instagram, WhatsApp) Graph API access token (`EAA...`)"),
    cred("cred.mapbox_secret_token", R"(\bsk\.eyJ[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]{20,})", &v::isBase64JsonToken,
         "Mapbox secret token (`sk.eyJ`)", "the base64 after sk. is a JSON object"),
    // The base64 of a DER private key opens with SEQUENCE, INTEGER 0 or 1 (version): with a
    // two-byte, a one-byte or a short length (see isDerPrivateKey); or "openssh-key-v1\0".

    // Keys.
    more(
        "cred.private_key",
        R"((?:\bMI[IJ][A-Za-z0-9+/]{2}[AQgw]IBA[ADQT]|\bMI[GH][A-Za-z0-9+/]AgE[AB]|\bM[A-Za-z0-9+/]{2}CAQ[AE]|\bb3BlbnNzaC1rZXktdjEA)[A-Za-z0-9+/]{40})",
        &v::isDerPrivateKey),
};

std::span<const BuiltinRule> builtinRules() {
    return kRules;
}

std::string builtinRuleTable() {
    // '|' would end a cell: the descriptions may hold one only escaped.
    const auto cell = [](std::string_view s) {
        std::string out;
        for (char c : s) {
            if (c == '|')
                out += '\\';
            out += c;
        }
        return out;
    };
    std::string table = "| rule | finds | validated by |\n|---|---|---|\n";
    for (size_t i = 0; i < std::size(kRules); ++i) {
        const BuiltinRule &r = kRules[i];
        bool seen = false;
        for (size_t k = 0; k < i; ++k)
            seen = seen || kRules[k].id == r.id;
        if (seen)
            continue;
        table += "| `" + std::string(r.id) + "` | " + cell(r.what) + " | " + cell(r.check) + " |\n";
    }
    return table;
}

} // namespace airlock
