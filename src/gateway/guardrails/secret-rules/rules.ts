/**
 * One provider's key format, as data: the literal `keyword` every such key contains (the prefilter:
 * a text without it costs one indexOf), the RE2 `pattern` a key matches from the keyword on (or from
 * up to `back` characters before it, for keys whose literal part is in the middle), and the longest
 * key. Transcribed from gitleaks' default rule set (config/gitleaks.toml: its rule ids are named in
 * `rule`) and checked against each provider's published format; values are never stored here.
 */
export interface SecretRule {
  kind: string;
  rule: string;
  keyword: string;
  pattern: string;
  max: number;
  /** Characters the key may have before its keyword (`hex`, `digits`, or `key`: letters, digits, `_~.`) and how many at most. */
  back?: { chars: 'hex' | 'digits' | 'key'; max: number };
  /** A generic prefix (`sk-`) also used for words: the key must mix letters and digits. */
  mixed?: boolean;
}

const B64URL = '[A-Za-z0-9_-]';
const AN = '[A-Za-z0-9]';
const HEX = '[a-f0-9]';

/** The provider formats the gateway recognises without a secret-looking name around them. */
export const SECRET_RULES: readonly SecretRule[] = [
  // gitleaks reads the id's 16 characters as base32 (A–Z, 2–7); secretlint's rule takes any upper-case letter or digit,
  // and so do ids typed into docs, tickets and configs by hand (a key id with an 8 in it is still the thing to redact).
  { kind: 'aws_access_key', rule: 'aws-access-token (secretlint)', keyword: 'AKIA', pattern: 'AKIA[A-Z0-9]{16}', max: 20 },
  { kind: 'aws_access_key', rule: 'aws-access-token (secretlint)', keyword: 'ASIA', pattern: 'ASIA[A-Z0-9]{16}', max: 20 },
  { kind: 'aws_access_key', rule: 'aws-access-token (secretlint)', keyword: 'ABIA', pattern: 'ABIA[A-Z0-9]{16}', max: 20 },
  { kind: 'aws_access_key', rule: 'aws-access-token (secretlint)', keyword: 'ACCA', pattern: 'ACCA[A-Z0-9]{16}', max: 20 },
  { kind: 'gcp_api_key', rule: 'gcp-api-key', keyword: 'AIza', pattern: `AIza${B64URL}{35}`, max: 39 },
  { kind: 'google_oauth_secret', rule: 'gcp-client-secret (GOCSPX)', keyword: 'GOCSPX-', pattern: `GOCSPX-${B64URL}{28}`, max: 35 },
  { kind: 'github_token', rule: 'github-pat', keyword: 'ghp_', pattern: `ghp_${AN}{36,251}`, max: 255 },
  { kind: 'github_token', rule: 'github-oauth', keyword: 'gho_', pattern: `gho_${AN}{36,251}`, max: 255 },
  { kind: 'github_token', rule: 'github-app-token', keyword: 'ghu_', pattern: `ghu_${AN}{36,251}`, max: 255 },
  { kind: 'github_token', rule: 'github-app-token', keyword: 'ghs_', pattern: `ghs_${AN}{36,251}`, max: 255 },
  { kind: 'github_token', rule: 'github-refresh-token', keyword: 'ghr_', pattern: `ghr_${AN}{36,251}`, max: 255 },
  { kind: 'github_token', rule: 'github-fine-grained-pat', keyword: 'github_pat_', pattern: 'github_pat_\\w{22,244}', max: 255 },
  { kind: 'gitlab_token', rule: 'gitlab-pat', keyword: 'glpat-', pattern: `glpat-${B64URL}{20,64}`, max: 70 },
  { kind: 'gitlab_token', rule: 'gitlab-*', keyword: 'gloas-', pattern: `gloas-${B64URL}{20,64}`, max: 70 },
  { kind: 'gitlab_token', rule: 'gitlab-deploy-token', keyword: 'gldt-', pattern: `gldt-${B64URL}{20,64}`, max: 70 },
  { kind: 'gitlab_token', rule: 'gitlab-runner-token', keyword: 'glrt-', pattern: `glrt-${B64URL}{20,64}`, max: 70 },
  { kind: 'gitlab_token', rule: 'gitlab-ptt', keyword: 'glptt-', pattern: `glptt-${B64URL}{20,64}`, max: 70 },
  { kind: 'gitlab_token', rule: 'gitlab-cicd-job-token', keyword: 'glcbt-', pattern: `glcbt-${B64URL}{20,64}`, max: 70 },
  { kind: 'slack_token', rule: 'slack-bot-token', keyword: 'xoxb-', pattern: 'xoxb-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  { kind: 'slack_token', rule: 'slack-user-token', keyword: 'xoxp-', pattern: 'xoxp-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  { kind: 'slack_token', rule: 'slack-legacy-token', keyword: 'xoxa-', pattern: 'xoxa-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  { kind: 'slack_token', rule: 'slack-legacy-token', keyword: 'xoxr-', pattern: 'xoxr-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  { kind: 'slack_token', rule: 'slack-legacy-token', keyword: 'xoxs-', pattern: 'xoxs-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  { kind: 'slack_token', rule: 'slack-config-access-token', keyword: 'xoxe-', pattern: 'xoxe(?:\\.xox[bp])?-[A-Za-z0-9-]{10,250}', mixed: true, max: 260 },
  { kind: 'slack_token', rule: 'slack-app-token', keyword: 'xapp-', pattern: 'xapp-[A-Za-z0-9-]{10,250}', mixed: true, max: 255 },
  {
    kind: 'slack_webhook',
    rule: 'slack-webhook-url',
    keyword: 'https://hooks.slack.com/',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}',
    max: 90,
  },
  {
    kind: 'discord_webhook',
    rule: 'discord webhook (own: gitleaks has client ids only)',
    keyword: 'https://discord.com/api/webhooks/',
    pattern: `https://discord\\.com/api/webhooks/[0-9]{17,20}/${B64URL}{60,68}`,
    max: 125,
  },
  {
    kind: 'discord_webhook',
    rule: 'discord webhook (own: gitleaks has client ids only)',
    keyword: 'https://discordapp.com/api/webhooks/',
    pattern: `https://discordapp\\.com/api/webhooks/[0-9]{17,20}/${B64URL}{60,68}`,
    max: 128,
  },
  { kind: 'stripe_key', rule: 'stripe-access-token', keyword: 'sk_live_', pattern: `sk_live_${AN}{10,247}`, max: 255 },
  { kind: 'stripe_key', rule: 'stripe-access-token', keyword: 'sk_test_', pattern: `sk_test_${AN}{10,247}`, max: 255 },
  { kind: 'stripe_key', rule: 'stripe-access-token', keyword: 'rk_live_', pattern: `rk_live_${AN}{10,247}`, max: 255 },
  { kind: 'stripe_key', rule: 'stripe-access-token', keyword: 'rk_test_', pattern: `rk_test_${AN}{10,247}`, max: 255 },
  { kind: 'stripe_webhook_secret', rule: 'stripe webhook signing secret (own: not in gitleaks)', keyword: 'whsec_', pattern: `whsec_${AN}{24,80}`, max: 86 },
  { kind: 'openai_key', rule: 'openai-api-key (project keys)', keyword: 'sk-proj-', pattern: `sk-proj-${B64URL}{40,250}`, max: 260 },
  { kind: 'openai_key', rule: 'openai-api-key (service accounts)', keyword: 'sk-svcacct-', pattern: `sk-svcacct-${B64URL}{40,250}`, max: 265 },
  { kind: 'openai_key', rule: 'openai-api-key (admin)', keyword: 'sk-admin-', pattern: `sk-admin-${B64URL}{40,250}`, max: 265 },
  // gitleaks pins 93 characters and a trailing `AA`; a key cut or re-wrapped by a log is still one (the prefix is Anthropic's alone).
  { kind: 'anthropic_key', rule: 'anthropic-api-key (any length from 80)', keyword: 'sk-ant-api03-', pattern: `sk-ant-api03-${B64URL}{80,120}`, max: 133 },
  {
    kind: 'anthropic_key',
    rule: 'anthropic-admin-api-key (any length from 80)',
    keyword: 'sk-ant-admin01-',
    pattern: `sk-ant-admin01-${B64URL}{80,120}`,
    max: 135,
  },
  { kind: 'openrouter_key', rule: 'openrouter key (own: not in gitleaks)', keyword: 'sk-or-v1-', pattern: `sk-or-v1-${HEX}{64}`, max: 73 },
  {
    kind: 'openai_key',
    rule: 'OpenAI-compatible sk- keys (DeepSeek, Moonshot, legacy OpenAI; own)',
    keyword: 'sk-',
    pattern: `sk-${AN}{32,64}`,
    max: 67,
    mixed: true,
  },
  // gitleaks takes letters only; TruffleHog's detector (and tokens seen in the wild) mixes in digits.
  { kind: 'huggingface_token', rule: 'huggingface-access-token (TruffleHog)', keyword: 'hf_', pattern: `hf_${AN}{34}`, max: 37 },
  { kind: 'huggingface_token', rule: 'huggingface-organization-api-token', keyword: 'api_org_', pattern: 'api_org_[A-Za-z]{34}', max: 42 },
  { kind: 'npm_token', rule: 'npm-access-token', keyword: 'npm_', pattern: `npm_${AN}{36}`, max: 40 },
  { kind: 'sendgrid_key', rule: 'sendgrid-api-token', keyword: 'SG.', pattern: `SG\\.${B64URL}{22}\\.${B64URL}{43}`, max: 69 },
  { kind: 'twilio_key', rule: 'twilio-api-key', keyword: 'SK', pattern: `SK${HEX}{32}`, max: 34 },
  { kind: 'mailgun_key', rule: 'mailgun-private-api-token', keyword: 'key-', pattern: `key-${HEX}{32}`, max: 36 },
  { kind: 'mailchimp_key', rule: 'mailchimp-api-key', keyword: '-us', pattern: `${HEX}{32}-us[0-9]{1,2}`, max: 37, back: { chars: 'hex', max: 32 } },
  { kind: 'shopify_token', rule: 'shopify-access-token', keyword: 'shpat_', pattern: 'shpat_[a-fA-F0-9]{32}', max: 38 },
  { kind: 'shopify_token', rule: 'shopify-custom-access-token', keyword: 'shpca_', pattern: 'shpca_[a-fA-F0-9]{32}', max: 38 },
  { kind: 'shopify_token', rule: 'shopify-private-app-access-token', keyword: 'shppa_', pattern: 'shppa_[a-fA-F0-9]{32}', max: 38 },
  { kind: 'shopify_token', rule: 'shopify-shared-secret', keyword: 'shpss_', pattern: 'shpss_[a-fA-F0-9]{32}', max: 38 },
  { kind: 'digitalocean_token', rule: 'digitalocean-pat', keyword: 'dop_v1_', pattern: `dop_v1_${HEX}{64}`, max: 71 },
  { kind: 'digitalocean_token', rule: 'digitalocean-access-token', keyword: 'doo_v1_', pattern: `doo_v1_${HEX}{64}`, max: 71 },
  { kind: 'digitalocean_token', rule: 'digitalocean-refresh-token', keyword: 'dor_v1_', pattern: `dor_v1_${HEX}{64}`, max: 71 },
  { kind: 'pypi_token', rule: 'pypi-upload-token', keyword: 'pypi-AgEIcHlwaS5vcmc', pattern: `pypi-AgEIcHlwaS5vcmc${B64URL}{50,1000}`, max: 1020 },
  { kind: 'databricks_token', rule: 'databricks-api-token', keyword: 'dapi', pattern: `dapi${HEX}{32}(?:-[0-9])?`, max: 38 },
  { kind: 'doppler_token', rule: 'doppler-api-token', keyword: 'dp.pt.', pattern: `dp\\.pt\\.${AN}{43}`, max: 49 },
  { kind: 'linear_key', rule: 'linear-api-key', keyword: 'lin_api_', pattern: `lin_api_${AN}{40}`, max: 48 },
  { kind: 'postman_key', rule: 'postman-api-token', keyword: 'PMAK-', pattern: `PMAK-${HEX}{24}-${HEX}{34}`, max: 64 },
  { kind: 'pulumi_token', rule: 'pulumi-api-token', keyword: 'pul-', pattern: `pul-${HEX}{40}`, max: 44 },
  { kind: 'groq_key', rule: 'groq key (own: not in gitleaks)', keyword: 'gsk_', pattern: `gsk_${AN}{52}`, max: 56 },
  { kind: 'replicate_token', rule: 'replicate token (own: not in gitleaks)', keyword: 'r8_', pattern: `r8_${AN}{37}`, max: 40 },
  { kind: 'newrelic_key', rule: 'new-relic-user-api-key', keyword: 'NRAK-', pattern: 'NRAK-[A-Z0-9]{27}', max: 32 },
  { kind: 'grafana_token', rule: 'grafana-service-account-token', keyword: 'glsa_', pattern: `glsa_${AN}{32}_[A-Fa-f0-9]{8}`, max: 46 },
  { kind: 'grafana_token', rule: 'grafana-cloud-api-token', keyword: 'glc_', pattern: 'glc_[A-Za-z0-9+/]{32,400}={0,2}', max: 406 },
  { kind: 'sentry_token', rule: 'sentry-user-token', keyword: 'sntryu_', pattern: `sntryu_${HEX}{64}`, max: 71 },
  // The prefix is Sentry's alone: a token cut, re-wrapped or of an older shape (no `eyJ` claims) is still one.
  { kind: 'sentry_token', rule: 'sentry-org-token (any body from 40)', keyword: 'sntrys_', pattern: 'sntrys_[A-Za-z0-9+/=_-]{40,400}', max: 407 },
  { kind: 'square_token', rule: 'square-access-token', keyword: 'EAAA', pattern: `EAAA${B64URL}{60}`, max: 64 },
  { kind: 'square_token', rule: 'square-secret', keyword: 'sq0csp-', pattern: `sq0csp-${B64URL}{43}`, max: 50 },
  { kind: 'square_token', rule: 'square-access-token', keyword: 'sq0atp-', pattern: `sq0atp-${B64URL}{22}`, max: 29 },
  {
    kind: 'telegram_bot_token',
    rule: 'telegram-bot-api-token',
    keyword: ':AA',
    pattern: `[0-9]{5,16}:AA${B64URL}{33}`,
    max: 52,
    back: { chars: 'digits', max: 16 },
  },
  { kind: 'docker_token', rule: 'docker personal access token (own: not in gitleaks)', keyword: 'dckr_pat_', pattern: `dckr_pat_${B64URL}{27,64}`, max: 73 },
  {
    kind: 'docker_token',
    rule: 'docker organization access token (own: not in gitleaks)',
    keyword: 'dckr_oat_',
    pattern: `dckr_oat_${B64URL}{27,64}`,
    max: 73,
  },
  { kind: 'figma_token', rule: 'figma PAT (own: not in gitleaks)', keyword: 'figd_', pattern: `figd_${B64URL}{40,43}`, max: 48 },
  { kind: 'heroku_key', rule: 'heroku-api-key-v2', keyword: 'HRKU-AA', pattern: `HRKU-AA${B64URL}{58}`, max: 65 },
  { kind: 'age_secret_key', rule: 'age-secret-key', keyword: 'AGE-SECRET-KEY-1', pattern: 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', max: 74 },
  { kind: 'perplexity_key', rule: 'perplexity-api-key', keyword: 'pplx-', pattern: `pplx-${AN}{48}`, max: 53 },
  { kind: 'xai_key', rule: 'xai key (own: not in gitleaks)', keyword: 'xai-', pattern: `xai-${AN}{80}`, max: 84 },
  { kind: 'supabase_token', rule: 'supabase access token (own)', keyword: 'sbp_', pattern: `sbp_${HEX}{40}`, max: 44 },
  { kind: 'supabase_token', rule: 'supabase secret key (own)', keyword: 'sb_secret_', pattern: `sb_secret_${B64URL}{31,64}`, max: 74 },
  { kind: 'planetscale_token', rule: 'planetscale-api-token', keyword: 'pscale_tkn_', pattern: `pscale_tkn_[A-Za-z0-9_.=-]{32,64}`, max: 75 },
  { kind: 'planetscale_token', rule: 'planetscale-password', keyword: 'pscale_pw_', pattern: `pscale_pw_[A-Za-z0-9_.=-]{32,64}`, max: 74 },
  { kind: 'vault_token', rule: 'hashicorp-vault-service-token', keyword: 'hvs.', pattern: `hvs\\.${B64URL}{90,120}`, max: 124 },
  { kind: 'vault_token', rule: 'hashicorp-vault-batch-token', keyword: 'hvb.', pattern: `hvb\\.${B64URL}{138,300}`, max: 304 },
  { kind: 'notion_token', rule: 'notion token (own: not in gitleaks)', keyword: 'ntn_', pattern: `ntn_[0-9]{11}${AN}{35}`, max: 50 },
  { kind: 'airtable_token', rule: 'airtable-personnal-access-token', keyword: 'pat', pattern: `pat${AN}{14}\\.${HEX}{64}`, max: 82 },
  { kind: 'adafruit_key', rule: 'adafruit-api-key', keyword: 'aio_', pattern: `aio_${AN}{28}`, max: 32 },
  {
    kind: 'azure_client_secret',
    rule: 'azure-ad-client-secret',
    keyword: 'Q~',
    pattern: '[a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.-]{31,34}',
    max: 40,
    back: { chars: 'key', max: 4 },
  },
  { kind: 'onepassword_token', rule: '1password-service-account-token', keyword: 'ops_eyJ', pattern: 'ops_eyJ[A-Za-z0-9+/]{250,}={0,3}', max: 1200 },
];
