#pragma once

// One made-up positive and one near miss for every credential rule id: the positive must be
// found by that rule, the near miss by no rule at all. tst_rules checks that every credential
// id of builtinRules() has a sample here, so a new rule cannot come without its rows.
#include "TokenFixtures.h"

#include <string>
#include <vector>

namespace airlock::test {

struct CredentialSample {
    const char *rule;
    std::string positive;
    std::string negative;
};

// DER private key openings (what a key's base64 starts with) followed by noise: the validator
// decodes only the first bytes.
inline QByteArray der(const char *head, int headSize, int seed) {
    return QByteArray(head, headSize) + noise(72, seed);
}

inline std::vector<CredentialSample> credentialSamples() {
    const std::string url = kAlnum + "_-";
    const auto x = [](size_t n) {
        return std::string(n, 'x');
    };
    const auto zeros = [](size_t n) {
        return std::string(n, '0');
    };
    const std::string uuid = repeatTo(kHex, 8) + "-" + repeatTo(kHex, 4, 1) + "-" + repeatTo(kHex, 4, 2) + "-" +
                             repeatTo(kHex, 4, 3) + "-" + repeatTo(kHex, 12, 4);
    const std::string zeroUuid = "00000000-0000-0000-0000-000000000000";
    const std::string jwtish = b64url(R"({"u":"someone","a":"c2xyz"})");
    std::string badAge = ageSecretKey(3);
    badAge[20] = badAge[20] == 'Q' ? 'P' : 'Q';
    std::string badGithub = githubToken("ghp_", repeatTo(kAlnum, 30));
    badGithub.back() = badGithub.back() == 'A' ? 'B' : 'A';
    const std::string discordId = b64url("123456789012345678");
    const std::string discordNotId = b64url("1a3456789012345678");

    return {
        // AI and LLM providers
        {"cred.openai_key", "OPENAI_API_KEY=sk-proj-" + repeatTo(url, 120), "sk-proj-" + repeatTo(url, 40)},
        {"cred.anthropic_key", "x-api-key: sk-ant-api03-" + repeatTo(url, 93) + "AA",
         "sk-ant-api03-" + repeatTo(url, 93) + "AB"},
        {"cred.groq_key", "gsk_" + repeatTo(kAlnum, 52), "gsk_" + x(52)},
        {"cred.xai_key", "xai-" + repeatTo(kAlnum, 80), "xai-" + repeatTo(kAlnum, 60)},
        {"cred.perplexity_key", "pplx-" + repeatTo(kAlnum, 48), "pplx-" + x(48)},
        {"cred.replicate_token", "r8_" + repeatTo(kAlnum, 37), "r8_" + x(37)},
        {"cred.openrouter_key", "sk-or-v1-" + repeatTo(kHex, 64), "sk-or-v1-" + zeros(64)},
        {"cred.deepseek_key", "sk-" + repeatTo(kHex, 32), "sk-" + repeatTo(kHex, 31)},
        {"cred.langsmith_key", "lsv2_pt_" + repeatTo(kHex, 32) + "_" + repeatTo(kHex, 10, 3),
         "lsv2_pt_" + zeros(32) + "_" + zeros(10)},
        {"cred.langfuse_secret_key", "sk-lf-" + uuid, "sk-lf-" + zeroUuid},
        {"cred.pinecone_key", "pcsk_" + repeatTo(kAlnum, 6) + "_" + repeatTo(kAlnum, 63, 2),
         "pcsk_" + x(6) + "_" + x(63)},
        {"cred.fireworks_key", "fw_" + repeatTo(kAlnum, 24), "fw_" + repeatTo(kAlnum, 20)},
        {"cred.together_key", "tgp_v1_" + repeatTo(url, 43), "tgp_v1_" + x(43)},
        {"cred.cerebras_key", "csk-" + repeatTo(kLowerAlnum, 48), "csk-" + x(48)},
        {"cred.nvidia_key", "nvapi-" + repeatTo(url, 64), "nvapi-" + x(64)},
        {"cred.elevenlabs_key", "sk_" + repeatTo(kHex, 48), "sk_" + zeros(48)},
        {"cred.tavily_key", "tvly-dev-" + repeatTo(kAlnum, 32), "tvly-dev-" + x(32)},
        {"cred.huggingface_token", "HF_TOKEN=hf_" + repeatTo(kAlnum, 34), "hf_" + repeatTo(kLowerAlnum, 34)},
        // Cloud
        {"cred.aws_access_key", "aws_access_key_id=AKIAZ7QWERTY2345ABCD", "AKIAIOSFODNN7EXAMPLE"},
        {"cred.aws_secret_key", "AWS_SECRET_ACCESS_KEY=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",
         "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"cred.gcp_api_key", "?key=AIza" + repeatTo(url, 35), "AIza" + repeatTo(url, 30)},
        {"cred.gcp_service_account", R"({"type": "service_account", "private_key": "x"})",
         R"({"type": "service_account", "project_id": "demo"})"},
        {"cred.google_oauth_token", "ya29." + repeatTo(url, 60), "ya29." + x(60)},
        {"cred.google_oauth_client_secret", "GOCSPX-" + repeatTo(url, 28), "GOCSPX-" + x(28)},
        {"cred.google_refresh_token", "1//0" + repeatTo(url, 60), "1//0" + x(60)},
        {"cred.firebase_fcm_key", "AAAA" + repeatTo(url, 7) + ":APA91b" + repeatTo(url, 134, 5),
         "AAAA" + repeatTo(url, 7) + ":APA91b" + x(134)},
        {"cred.azure_storage_key",
         "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=" + b64(noise(64, 1)) + ";",
         // The storage emulator's documented key.
         "AccountKey=Eby8vdM02xNOcqFl" + b64(noise(64, 2)).substr(16) + ";"},
        {"cred.azure_shared_access_key", "SharedAccessKeyName=send;SharedAccessKey=" + b64(noise(32, 3)),
         "SharedAccessKey=" + x(43) + "="},
        {"cred.azure_sas_token",
         "https://demo.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=" +
             QByteArray::fromStdString(b64(noise(32, 4))).toPercentEncoding().toStdString(),
         "https://demo.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=" + x(43) + "%3D"},
        {"cred.azure_ad_client_secret", "client_secret: " + repeatTo(kAlnum, 3) + "8Q~" + repeatTo(url, 34, 1),
         "value " + repeatTo(kAlnum, 3) + "8Q~" + x(34)},
        {"cred.digitalocean_pat", "dop_v1_" + repeatTo(kHex, 64), "dop_v1_" + zeros(64)},
        {"cred.digitalocean_oauth_token", "doo_v1_" + repeatTo(kHex, 64), "doo_v1_" + repeatTo(kHex, 60)},
        {"cred.digitalocean_refresh_token", "dor_v1_" + repeatTo(kHex, 64), "dor_v1_" + zeros(64)},
        {"cred.heroku_key", "HRKU-AA" + repeatTo(url, 58), "HRKU-AA" + x(58)},
        {"cred.alibaba_access_key", "LTAI" + repeatTo(kAlnum, 20), "LTAI" + x(20)},
        {"cred.tencent_secret_id", "AKID" + repeatTo(kAlnum, 32), "AKID" + x(32)},
        {"cred.cloudflare_origin_ca_key", "v1.0-" + repeatTo(kHex, 24) + "-" + repeatTo(kHex, 146, 1),
         "v1.0-" + repeatTo(kHex, 24) + "-" + zeros(146)},
        {"cred.scaleway_access_key", "SCW" + repeatTo(kUpperAlnum, 17), "SCW" + std::string(17, 'X')},
        {"cred.flyio_token", "FlyV1 fm2_" + repeatTo(url + "+/", 160), "FlyV1 fm2_" + x(160)},
        {"cred.supabase_pat", "sbp_" + repeatTo(kHex, 40), "sbp_" + zeros(40)},
        {"cred.supabase_secret_key", "sb_secret_" + repeatTo(url, 31), "sb_secret_" + x(31)},
        {"cred.databricks_token", "dapi" + repeatTo(kHex, 32), "dapi" + zeros(32)},
        // Source hosting
        {"cred.github_token", "token " + githubToken("ghp_", repeatTo(kAlnum, 30)), badGithub},
        {"cred.gitlab_pat", "PRIVATE-TOKEN: glpat-" + repeatTo(url, 20), "glpat-" + x(20)},
        {"cred.gitlab_deploy_token", "gldt-" + repeatTo(url, 20), "gldt-" + x(20)},
        {"cred.gitlab_runner_token", "glrt-" + repeatTo(url, 20), "glrt-" + repeatTo(url, 12)},
        {"cred.gitlab_runner_registration", "GR1348941" + repeatTo(url, 20), "GR1348941" + x(20)},
        {"cred.gitlab_trigger_token", "glptt-" + repeatTo(kHex, 40), "glptt-" + zeros(40)},
        {"cred.gitlab_ci_job_token", "glcbt-64_" + repeatTo(url, 20), "glcbt-64_" + x(20)},
        {"cred.gitlab_feed_token", "glft-" + repeatTo(url, 20), "glft-" + x(20)},
        {"cred.gitlab_incoming_mail_token", "glimt-" + repeatTo(url, 25), "glimt-" + x(25)},
        {"cred.gitlab_agent_token", "glagent-" + repeatTo(url, 50), "glagent-" + x(50)},
        {"cred.gitlab_scim_token", "glsoat-" + repeatTo(url, 20), "glsoat-" + x(20)},
        {"cred.gitlab_oauth_secret", "gloas-" + repeatTo(url, 64), "gloas-" + x(64)},
        {"cred.gitlab_feature_flag_token", "glffct-" + repeatTo(url, 20), "glffct-" + x(20)},
        {"cred.bitbucket_app_password", "ATBB" + repeatTo(kAlnum, 32), "ATBB" + x(32)},
        {"cred.atlassian_api_token", "ATATT3" + repeatTo(url + "=", 186), "ATATT3" + x(186)},
        // Registries
        {"cred.npm_token", "//registry.npmjs.org/:_authToken=npm_" + repeatTo(kAlnum, 36), "npm_" + x(36)},
        {"cred.pypi_token", "pypi-AgEIcHlwaS5vcmc" + repeatTo(url, 80), "pypi-AgEIcHlwaS5vcmc" + x(80)},
        {"cred.rubygems_key", "rubygems_" + repeatTo(kHex, 48), "rubygems_" + zeros(48)},
        {"cred.nuget_key", "oy2" + repeatTo(kLowerAlnum, 43), "oy2" + x(43)},
        {"cred.cratesio_token", "cio" + repeatTo(kAlnum, 32), "cio" + x(32)},
        {"cred.clojars_token", "CLOJARS_" + repeatTo(kLowerAlnum, 60), "CLOJARS_" + x(60)},
        {"cred.docker_hub_pat", "dckr_pat_" + repeatTo(url, 27), "dckr_pat_" + x(27)},
        {"cred.docker_hub_org_token", "dckr_oat_" + repeatTo(url, 32), "dckr_oat_" + x(32)},
        {"cred.artifactory_api_key", "AKCp" + repeatTo(kAlnum, 69), "AKCp" + x(69)},
        {"cred.artifactory_reference_token", "cmVmdGtu" + repeatTo(kAlnum, 56), "cmVmdGtu" + x(56)},
        // CI/CD, infrastructure, secret managers
        {"cred.vault_service_token", "X-Vault-Token: hvs." + repeatTo(url, 95), "hvs." + x(95)},
        {"cred.vault_batch_token", "hvb." + repeatTo(url, 138), "hvb." + x(138)},
        {"cred.terraform_cloud_token", repeatTo(kAlnum, 14) + ".atlasv1." + repeatTo(url, 67),
         repeatTo(kAlnum, 14) + ".atlasv1." + x(67)},
        {"cred.doppler_token", "dp.pt." + repeatTo(kAlnum, 43), "dp.pt." + x(43)},
        {"cred.pulumi_token", "pul-" + repeatTo(kHex, 40), "pul-" + zeros(40)},
        {"cred.circleci_pat", "CCIPAT_" + repeatTo(kAlnum, 22) + "_" + repeatTo(kHex, 40),
         "CCIPAT_" + x(22) + "_" + zeros(40)},
        {"cred.circleci_project_token", "CCIPRJ_" + repeatTo(kAlnum, 22) + "_" + repeatTo(kHex, 40),
         "CCIPRJ_" + x(22) + "_" + zeros(40)},
        {"cred.buildkite_token", "bkua_" + repeatTo(kHex, 40), "bkua_" + zeros(40)},
        {"cred.harness_token", "pat." + repeatTo(url, 22) + "." + repeatTo(kHex, 24) + "." + repeatTo(kAlnum, 20, 3),
         "pat." + x(22) + "." + zeros(24) + "." + x(20)},
        {"cred.octopus_key", "API-" + repeatTo(kUpperAlnum, 26), "API-" + std::string(26, 'X')},
        {"cred.scalingo_token", "tk-us-" + repeatTo(url, 48), "tk-us-" + x(48)},
        {"cred.infracost_key", "ico-" + repeatTo(kAlnum, 32), "ico-" + x(32)},
        {"cred.prefect_key", "pnu_" + repeatTo(kAlnum, 36), "pnu_" + x(36)},
        {"cred.defined_networking_key", "dnkey-" + repeatTo(kLowerAlnum, 26) + "-" + repeatTo(kLowerAlnum, 52, 1),
         "dnkey-" + x(26) + "-" + x(52)},
        {"cred.age_secret_key", ageSecretKey(3), badAge},
        {"cred.onepassword_secret_key",
         "A3-" + repeatTo(kUpperAlnum, 6) + "-" + repeatTo(kUpperAlnum, 6, 1) + "-" + repeatTo(kUpperAlnum, 5, 2) +
             "-" + repeatTo(kUpperAlnum, 5, 3) + "-" + repeatTo(kUpperAlnum, 5, 4) + "-" + repeatTo(kUpperAlnum, 5, 5),
         "A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX"},
        {"cred.onepassword_service_token",
         "ops_" + b64(QByteArray(R"({"signInAddress":"my.1password.com","userAuth":{"method":"SRPg-4096","alg":")") +
                      QByteArray::fromStdString(repeatTo(kAlnum, 60)) + "\"}}"),
         "ops_eyJ" + repeatTo(kAlnum, 120)},
        // Databases
        {"cred.planetscale_token", "pscale_tkn_" + repeatTo(url, 43), "pscale_tkn_" + x(43)},
        {"cred.planetscale_password", "pscale_pw_" + repeatTo(url, 43), "pscale_pw_" + x(43)},
        {"cred.planetscale_oauth_token", "pscale_oauth_" + repeatTo(url, 43), "pscale_oauth_" + x(43)},
        // Messaging
        {"cred.slack_token", "xoxb-123456789012-1234567890123-" + repeatTo(kAlnum, 24), "xoxb-123456789012"},
        {"cred.slack_legacy_token", "xoxs-" + repeatTo(kAlnum, 12) + "-" + repeatTo(kAlnum, 30, 2),
         "xoxs-" + x(12) + "-" + x(30)},
        {"cred.slack_webhook", "https://hooks.slack.com/services/T00000000/B00000000/" + repeatTo(kAlnum, 24),
         "https://hooks.slack.com/services/"},
        {"cred.telegram_bot_token", "https://api.telegram.org/bot123456789:AA" + repeatTo(url, 33) + "/getMe",
         "123456789:AA" + x(33)},
        {"cred.discord_bot_token", "Bot " + discordId + "." + repeatTo(url, 6) + "." + repeatTo(url, 38, 2),
         "Bot " + discordNotId + "." + repeatTo(url, 6) + "." + repeatTo(url, 38, 2)},
        {"cred.discord_webhook", "https://discord.com/api/webhooks/123456789012345678/" + repeatTo(url, 68),
         "https://discord.com/api/webhooks/123456789012345678/" + x(68)},
        {"cred.teams_webhook",
         "https://contoso.webhook.office.com/webhookb2/" + uuid + "@" + uuid + "/IncomingWebhook/" +
             repeatTo(kHex, 32) + "/" + uuid,
         "https://contoso.webhook.office.com/webhookb2/" + uuid + "@" + uuid + "/IncomingWebhook/"},
        {"cred.twilio_api_key", "SK" + repeatTo(kHex, 32), "SK" + zeros(32)},
        // E-mail
        {"cred.sendgrid_key", "SG." + repeatTo(url, 22) + "." + repeatTo(url, 43, 4), "SG." + x(22) + "." + x(43)},
        {"cred.brevo_key", "xkeysib-" + repeatTo(kHex, 64) + "-" + repeatTo(kAlnum, 16),
         "xkeysib-" + zeros(64) + "-" + x(16)},
        {"cred.mailchimp_key", repeatTo(kHex, 32) + "-us21", zeros(32) + "-us21"},
        {"cred.resend_key", "re_" + repeatTo(kAlnum, 8) + "_" + repeatTo(kAlnum, 24, 2), "re_" + x(8) + "_" + x(24)},
        // Payments
        {"cred.stripe_key", "sk_live_" + repeatTo(kAlnum, 24), "sk_live_" + repeatTo(kAlnum, 6)},
        // The test key in Stripe's documentation.
        {"cred.stripe_key", "rk_test_" + repeatTo(kAlnum, 24, 3),
         std::string("sk_") + "test_" + "4eC39HqLyjWDarjtT1zdp7dc"},
        {"cred.stripe_webhook_secret", "whsec_" + repeatTo(kAlnum, 32), "whsec_" + x(32)},
        {"cred.square_access_token", "sq0atp-" + repeatTo(url, 22), "sq0atp-" + x(22)},
        {"cred.square_oauth_secret", "sq0csp-" + repeatTo(url, 43), "sq0csp-" + x(43)},
        {"cred.braintree_token", "access_token$production$" + repeatTo(kLowerAlnum, 16) + "$" + repeatTo(kHex, 32),
         "access_token$production$" + x(16) + "$" + zeros(32)},
        {"cred.shopify_access_token", "X-Shopify-Access-Token: shpat_" + repeatTo(kHex, 32), "shpat_" + zeros(32)},
        {"cred.shopify_custom_app_token", "shpca_" + repeatTo(kHex, 32), "shpca_" + zeros(32)},
        {"cred.shopify_private_app_token", "shppa_" + repeatTo(kHex, 32), "shppa_" + zeros(32)},
        {"cred.shopify_shared_secret", "shpss_" + repeatTo(kHex, 32), "shpss_" + repeatTo(kHex, 31)},
        {"cred.flutterwave_secret_key", "FLWSECK-" + repeatTo(kHex, 32) + "-X", "FLWSECK-" + zeros(32) + "-X"},
        {"cred.flutterwave_encryption_key", "FLWSECK_TEST" + repeatTo(kHex, 12), "FLWSECK_TEST" + zeros(12)},
        {"cred.plaid_access_token", "access-production-" + uuid, "access-production-" + zeroUuid},
        {"cred.duffel_token", "duffel_live_" + repeatTo(url, 43), "duffel_live_" + x(43)},
        {"cred.easypost_key", "EZAK" + repeatTo(kAlnum, 54), "EZAK" + x(54)},
        {"cred.shippo_token", "shippo_live_" + repeatTo(kHex, 40), "shippo_live_" + zeros(40)},
        // Observability
        {"cred.newrelic_user_key", "NRAK-" + repeatTo(kUpperAlnum, 27), "NRAK-" + std::string(27, 'X')},
        {"cred.newrelic_insert_key", "NRII-" + repeatTo(url, 32), "NRII-" + x(32)},
        {"cred.newrelic_license_key", repeatTo(kHex, 36) + "NRAL", zeros(36) + "NRAL"},
        {"cred.sentry_org_token",
         "sntrys_" +
             b64(R"({"iat":1700000000.0,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"demo"})") +
             "_" + repeatTo(kAlnum, 43),
         "sntrys_eyJ" + repeatTo(kAlnum, 80)},
        {"cred.sentry_user_token", "sntryu_" + repeatTo(kHex, 64), "sntryu_" + zeros(64)},
        {"cred.grafana_cloud_token",
         "glc_" + b64(QByteArray(R"({"o":"123456","n":"stack-1-token","k":")") +
                      QByteArray::fromStdString(repeatTo(kAlnum, 24)) + R"(","m":{"r":"prod-us-east-0"}})"),
         "glc_eyJ" + repeatTo(kAlnum, 60)},
        {"cred.grafana_service_account_token", "glsa_" + repeatTo(kAlnum, 32) + "_" + repeatTo(kHex, 8),
         "glsa_" + x(32) + "_" + zeros(8)},
        {"cred.dynatrace_token", "dt0c01." + repeatTo(kUpperAlnum, 24) + "." + repeatTo(kUpperAlnum, 64, 1),
         "dt0c01." + std::string(24, 'X') + "." + std::string(64, 'X')},
        {"cred.axiom_token", "xaat-" + uuid, "xaat-" + zeroUuid},
        {"cred.honeycomb_key", "hcaik_" + repeatTo(kLowerAlnum, 58), "hcaik_" + x(58)},
        // Collaboration and content tools
        {"cred.linear_key", "lin_api_" + repeatTo(kAlnum, 40), "lin_api_" + x(40)},
        {"cred.notion_token", "ntn_12345678901" + repeatTo(kAlnum, 35), "ntn_12345678901" + x(35)},
        {"cred.postman_key", "PMAK-" + repeatTo(kHex, 24) + "-" + repeatTo(kHex, 34, 1),
         "PMAK-" + zeros(24) + "-" + zeros(34)},
        {"cred.figma_token", "X-Figma-Token: figd_" + repeatTo(url, 40), "figd_" + x(40)},
        {"cred.airtable_pat", "pat" + repeatTo(kAlnum, 14) + "." + repeatTo(kHex, 64), "pat" + x(14) + "." + zeros(64)},
        {"cred.typeform_token", "tfp_" + repeatTo(url, 59), "tfp_" + x(59)},
        {"cred.frameio_token", "fio-u-" + repeatTo(url, 64), "fio-u-" + x(64)},
        {"cred.readme_key", "rdme_" + repeatTo(kLowerAlnum, 70), "rdme_" + x(70)},
        {"cred.sourcegraph_token", "sgp_" + repeatTo(kHex, 16) + "_" + repeatTo(kHex, 40, 1), "sgp_" + zeros(40)},
        {"cred.contentful_pat", "CFPAT-" + repeatTo(url, 43), "CFPAT-" + x(43)},
        {"cred.dropbox_token", "sl." + repeatTo(url, 140), "sl." + x(140)},
        {"cred.meta_access_token", "access_token=EAAG" + repeatTo(kAlnum, 180), "EAAG" + x(180)},
        {"cred.mapbox_secret_token", "sk." + jwtish + "." + repeatTo(url, 22),
         "sk.eyJ" + repeatTo(url, 30) + "." + repeatTo(url, 22)},
        // Keys and generic shapes
        {"cred.private_key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "-----BEGIN PUBLIC KEY-----"},
        {"cred.private_key", b64(der("\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00", 12, 1)),
         // SEQUENCE, INTEGER 0, a short INTEGER: the opening of no key.
         b64(der("\x30\x82\x04\xa4\x02\x01\x00\x02\x05\x01\x01\x00", 12, 2))},
        {"cred.private_key",
         "\"" +
             b64(der("\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x04\x82",
                     24, 3)) +
             "\"",
         // A PKCS#8-like opening naming sha256WithRSAEncryption, not a key algorithm.
         b64(der("\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00\x04\x82", 24,
                 4))},
        {"cred.private_key",
         "key=" + b64(der("\x30\x81\x87\x02\x01\x00\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08", 19, 5)),
         // A certificate: SEQUENCE, SEQUENCE, [0] version.
         b64(der("\x30\x82\x03\x77\x30\x82\x02\x5f\xa0\x03\x02\x01\x02\x02\x09\x00", 16, 6))},
        {"cred.private_key", b64(der("\x30\x77\x02\x01\x01\x04\x20", 7, 7)),
         // A public key (SubjectPublicKeyInfo).
         b64(der("\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x03\x82", 21, 8))},
        {"cred.private_key",
         b64(der("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16, 9)).substr(0, 64),
         // An RSA public key (PKCS#1 RSAPublicKey): SEQUENCE, INTEGER modulus.
         b64(der("\x30\x82\x01\x0a\x02\x82\x01\x01\x00", 9, 10))},
        {"cred.private_key", b64(der("openssh-key-v1\0\0\0\0\x04none", 23, 11)),
         b64(der("openssh-key-v2\0\0\0\0\x04none", 23, 12))},
        {"cred.jwt",
         "id_token=" + b64url(R"({"alg":"HS256","typ":"JWT"})") + "." + b64url(R"({"sub":"user-1"})") + ".c2ln",
         "eyJhbGciOiAi.eyJzdWIiOi.abc"},
        {"cred.bearer_token", "curl -H 'X: Bearer abcDEF123456ghiJKL789'", "Bearer authenticationscheme is described"},
        {"cred.url_password", "DATABASE_URL=postgres://app:s3cr3tPw9@db.internal:5432/main",
         "postgres://user:password@localhost/db"},
        {"cred.generic_secret", "api_key=Zx8Kq2Lm9Pw4Rt7Yv3Nb6Hc1",
         "{\"key\": \"model.layers.0.mlp.down_proj.weight\"}"},
    };
}

} // namespace airlock::test
