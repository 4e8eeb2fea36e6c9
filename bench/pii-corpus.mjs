// Writes the labelled PII corpora (bench/corpora/pii/<split>-generated.jsonl) from the formats
// providers and standards publish: fake values that satisfy each format (never real keys),
// phone numbers from libphonenumber's own example metadata, IBANs with computed mod-97 check
// digits, cards with Luhn. `node bench/pii-corpus.mjs holdout|tune`: the two splits use
// different seeds and different sentence frames, so tuning on one does not fit the other.
import { writeFileSync } from 'node:fs';
import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';

const split = process.argv[2] === 'tune' ? 'tune' : 'holdout';
let seed = split === 'tune' ? 7919 : 104729;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const DG = '0123456789';
const AN = UP + LO + DG;
const HEX = '0123456789abcdef';
const chars = (n, set = AN) => {
  let s = '';
  while (s.length < n) s += set[Math.floor(rand() * set.length)];
  return s;
};
const b64url = (n) => chars(n, `${AN}_-`);

const items = [];
let n = 0;
const id = () => `pii-${split === 'tune' ? 't' : 'h'}${String(++n).padStart(4, '0')}`;
function pos(category, kind, value, frame, lang, source) {
  const text = frame.replace('{}', value);
  items.push({ id: id(), text, label: 'positive', category, expect: [{ kind, value }], lang, source });
}
function neg(category, text, lang, note) {
  items.push({ id: id(), text, label: 'negative', category, expect: [], lang, source: 'own writing', note });
}

// Sentence frames per language; holdout and tune take alternate halves.
const FRAMES = {
  en: ['Please contact me at {} tomorrow.', 'Value: {}.', 'The customer wrote "{}" in the form', 'See {}', '{}'],
  de: ['Bitte erreichen Sie mich unter {}.', 'Meine Angabe: {}, danke.', 'Kontakt: {}'],
  fr: ['Vous pouvez me joindre au {}.', 'Voici la valeur : {} merci', 'Contact : {}'],
  es: ['Mi dato es {}, gracias.', 'Escríbame: {}'],
  pt: ['Meu contato é {}.', 'Segue: {}'],
  ja: ['連絡先は{}です。', '番号：{}'],
  zh: ['我的联系方式是 {}。', '请使用 {}'],
  ru: ['Мои данные: {}.', 'Свяжитесь: {}'],
  hi: ['मेरा विवरण {} है।', 'संपर्क: {}'],
  ar: ['بياناتي: {} شكرا', 'تواصل: {}'],
};
const half = (xs) => xs.filter((_, i) => (i % 2 === 0) === (split === 'holdout') || xs.length === 1);
const frame = (lang) => pick(half(FRAMES[lang]));
const LANGS = Object.keys(FRAMES);

// ---- phones: libphonenumber example numbers, many countries and formats ----
const PHONE_COUNTRIES = [
  'DE',
  'FR',
  'GB',
  'US',
  'IN',
  'BR',
  'JP',
  'CN',
  'ES',
  'IT',
  'NL',
  'RU',
  'MX',
  'AU',
  'CH',
  'PL',
  'SE',
  'ZA',
  'KR',
  'AE',
  'TR',
  'AR',
  'NG',
  'EG',
];
const LANG_OF = { DE: 'de', FR: 'fr', GB: 'en', US: 'en', IN: 'hi', BR: 'pt', JP: 'ja', CN: 'zh', ES: 'es', RU: 'ru', AE: 'ar', EG: 'ar', MX: 'es', AR: 'es' };
for (const cc of PHONE_COUNTRIES) {
  const ex = getExampleNumber(cc, examples);
  if (!ex) continue;
  const lang = LANG_OF[cc] ?? 'en';
  const forms = [
    ex.formatInternational(),
    ex.number,
    ex.formatInternational().replace(/^\+/, '00'),
    `+${ex.countryCallingCode}-${ex.nationalNumber}`,
    ex.formatInternational().replace(/ /g, '.'),
  ];
  for (const f of forms) {
    if (!parsePhoneNumberFromString(f.replace(/^00/, '+'))?.isValid()) continue;
    pos('phone', 'phone', f, frame(lang), lang, 'libphonenumber example metadata');
  }
}
// national formats of the US (the scanner's default country in the bench)
const usEx = getExampleNumber('US', examples);
for (const f of [usEx.formatNational(), usEx.nationalNumber, usEx.formatNational().replace(/[()]/g, '').replace(' ', '-')])
  pos('phone', 'phone', f, frame('en'), 'en', 'libphonenumber example metadata (national US)');

// ---- IBANs: ISO 13616 lengths and formats, check digits computed ----
const BBAN = {
  DE: 'n18',
  FR: 'n10c11n2',
  GB: 'a4n14',
  ES: 'n20',
  IT: 'a1n10c12',
  NL: 'a4n10',
  BE: 'n12',
  AT: 'n16',
  CH: 'n5c12',
  PL: 'n24',
  PT: 'n21',
  SE: 'n20',
  NO: 'n11',
  DK: 'n14',
  FI: 'n14',
  IE: 'a4n14',
  LU: 'n3c13',
  CZ: 'n20',
  SK: 'n20',
  HU: 'n24',
  RO: 'a4c16',
  BG: 'a4n6c8',
  HR: 'n17',
  SI: 'n15',
  GR: 'n7c16',
  CY: 'n8c16',
  MT: 'a4n5c18',
  TR: 'n6c16',
  SA: 'n2c18',
  AE: 'n19',
  BR: 'n23a1c1',
  UA: 'n6c19',
};
function bban(spec) {
  let s = '';
  for (const [, t, len] of spec.matchAll(/([nac])(\d+)/g)) s += chars(Number(len), t === 'n' ? DG : t === 'a' ? UP : UP + DG);
  return s;
}
function mod97(str) {
  let rem = 0;
  for (const ch of str) rem = (rem * (/[0-9]/.test(ch) ? 10 : 100) + (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55)) % 97;
  return rem;
}
function iban(cc) {
  const b = bban(BBAN[cc]);
  const check = 98 - mod97(`${b}${cc}00`);
  return `${cc}${String(check).padStart(2, '0')}${b}`;
}
const grouped = (s) => s.replace(/(.{4})(?=.)/g, '$1 ');
const IBAN_LANG = { DE: 'de', FR: 'fr', ES: 'es', PT: 'pt', BR: 'pt', SA: 'ar', AE: 'ar', UA: 'ru', GB: 'en', IE: 'en' };
for (const cc of Object.keys(BBAN)) {
  const v = iban(cc);
  const lang = IBAN_LANG[cc] ?? 'en';
  for (const f of [v, grouped(v), grouped(v).toLowerCase(), v.toLowerCase()].filter((_, i) => i < 2 || rand() < 0.5))
    pos('iban', 'iban', f, frame(lang), lang, 'ISO 13616 registry formats');
}

// ---- cards: IIN ranges of the networks, Luhn completed ----
function luhn(partial) {
  for (let d = 0; d < 10; d++) {
    const s = partial + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
}
const NETWORKS = [
  ['visa', ['4'], [16, 13, 19]],
  ['mastercard', ['51', '53', '55', '2221', '2720', '2500'], [16]],
  ['amex', ['34', '37'], [15]],
  ['diners', ['36', '300', '305', '38'], [14, 16]],
  ['discover', ['6011', '65', '644', '649'], [16, 19]],
  ['jcb', ['3528', '3589', '3550'], [16, 19]],
  ['unionpay', ['62', '6212', '8171'], [16, 17, 18, 19]],
  ['maestro', ['5018', '5020', '5038', '6304', '6759', '6761', '6763', '0604'], [12, 13, 16, 19]],
  ['mir', ['2200', '2204'], [16, 17, 18, 19]],
  ['rupay', ['60', '65', '81', '82', '508', '353', '356'], [16]],
  ['elo', ['4011', '4389', '5067', '6277'], [16]],
  ['troy', ['9792'], [16]],
];
function groups(num) {
  if (num.length === 15) return `${num.slice(0, 4)} ${num.slice(4, 10)} ${num.slice(10)}`;
  if (num.length === 14) return `${num.slice(0, 4)} ${num.slice(4, 10)} ${num.slice(10)}`;
  return num.replace(/(.{4})(?=.)/g, '$1 ');
}
for (const [net, prefixes, lengths] of NETWORKS) {
  for (const p of prefixes) {
    const len = pick(lengths);
    if (len < 13) continue;
    const num = luhn(p + chars(len - p.length - 1, DG));
    const lang = pick(LANGS);
    for (const f of [num, groups(num), groups(num).replace(/ /g, '-')].filter((_, i) => i === 0 || rand() < 0.6))
      pos('card', 'card', f, frame(lang), lang, `${net} IIN ranges (issuer tables)`);
  }
}

// ---- emails: many scripts, subaddressing, subdomains ----
const LOCALS = [
  'anna.schmidt',
  'jean-luc+news',
  'm.rossi',
  'li.wei',
  'tanaka_taro',
  "o'brien",
  'priya.sharma',
  'joão.silva',
  'ivan.petrov',
  'müller',
  'δοκιμή',
  'испытание',
  '用户',
  'उपयोगकर्ता',
  'info',
  'x',
  'first.last+tag-2024',
  'user%team',
  'a_b-c',
];
const DOMAINS = [
  'example.com',
  'mail.example.co.uk',
  'example.de',
  'beispiel.de',
  'exemple.fr',
  'example.co.jp',
  '例子.中国',
  'пример.рф',
  'münchen.example',
  'uni-heidelberg.de',
  'sub.domain.example.org',
  'example.com.br',
  'xn--80akhbyknj4f.xn--p1ai',
];
const emailHalf = LOCALS.filter((_, i) => (i % 2 === 0) === (split === 'holdout'));
for (let k = 0; k < 40; k++) {
  const v = `${pick(split === 'holdout' ? LOCALS : emailHalf)}@${pick(DOMAINS)}`;
  const lang = pick(LANGS);
  pos('email', 'email', v, frame(lang), lang, 'own writing (RFC 5322 / RFC 6531 forms)');
}

// ---- IPs ----
const ips = () => [
  `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`,
  `2001:db8:${chars(4, HEX)}::${chars(3, HEX)}`,
  `fe80::${chars(4, HEX)}:${chars(2, HEX)}ff:fe${chars(2, HEX)}:${chars(4, HEX)}`,
  `2001:0db8:85a3:0000:0000:8a2e:0370:${chars(4, HEX)}`,
  `::ffff:192.0.2.${1 + Math.floor(rand() * 250)}`,
  `2a00:1450:4001:${chars(3, HEX)}::200e`,
  '::1',
  `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`,
];
const IP_FRAMES = [
  'The server at {} refused the connection.',
  'Client IP {}.',
  'from {}:443 we saw',
  'ip={}',
  'Host [{}]:8080 answered',
  'Die Adresse {} ist gesperrt.',
  '访问来自 {}。',
];
for (let k = 0; k < 5; k++)
  for (const v of ips()) pos('ip', v.includes(':') ? 'ipv6' : 'ipv4', v, pick(IP_FRAMES), 'en', 'own writing (RFC 4291 / RFC 5952 forms)');

// ---- secrets: each provider's published token format, fake values ----
const SECRETS = [
  ['openai_key', () => `sk-proj-${b64url(74)}T3BlbkFJ${b64url(74)}`, 'OpenAI API keys docs'],
  ['openai_key', () => `sk-svcacct-${b64url(74)}T3BlbkFJ${b64url(74)}`, 'OpenAI service account keys'],
  ['openai_key', () => `sk-${chars(20)}T3BlbkFJ${chars(20)}`, 'OpenAI legacy key format'],
  ['anthropic_key', () => `sk-ant-api03-${b64url(93)}AA`, 'Anthropic API key format'],
  ['anthropic_key', () => `sk-ant-admin01-${b64url(93)}AA`, 'Anthropic admin key format'],
  ['huggingface_token', () => `hf_${chars(34, UP + LO)}`, 'Hugging Face user access tokens'],
  ['npm_token', () => `npm_${chars(36)}`, 'npm granular access tokens'],
  ['sendgrid_key', () => `SG.${b64url(22)}.${b64url(43)}`, 'SendGrid API keys'],
  ['slack_webhook', () => `https://hooks.slack.com/services/T${chars(8, UP + DG)}/B${chars(8, UP + DG)}/${chars(24)}`, 'Slack incoming webhooks'],
  ['stripe_key', () => `sk_test_${chars(24)}`, 'Stripe API keys'],
  ['stripe_key', () => `sk_live_${chars(99)}`, 'Stripe API keys'],
  ['stripe_key', () => `rk_test_${chars(24)}`, 'Stripe restricted keys'],
  ['stripe_webhook_secret', () => `whsec_${chars(32)}`, 'Stripe webhook signing secrets'],
  ['aws_access_key', () => `AKIA${chars(16, UP + '234567')}`, 'AWS access key ids'],
  ['aws_access_key', () => `ASIA${chars(16, UP + '234567')}`, 'AWS temporary access key ids'],
  ['github_token', () => `ghp_${chars(36)}`, 'GitHub token formats'],
  ['github_token', () => `github_pat_${chars(22)}_${chars(59)}`, 'GitHub fine-grained PATs'],
  ['github_token', () => `gho_${chars(36)}`, 'GitHub OAuth tokens'],
  ['gitlab_token', () => `glpat-${b64url(20)}`, 'GitLab PATs'],
  ['slack_token', () => `xoxb-${chars(11, DG)}-${chars(13, DG)}-${chars(24)}`, 'Slack bot tokens'],
  ['gcp_api_key', () => `AIza${b64url(35)}`, 'Google API keys'],
  ['google_oauth_secret', () => `GOCSPX-${b64url(28)}`, 'Google OAuth client secrets'],
  ['twilio_key', () => `SK${chars(32, HEX)}`, 'Twilio API key SIDs'],
  ['mailgun_key', () => `key-${chars(32, HEX)}`, 'Mailgun private API keys'],
  ['mailchimp_key', () => `${chars(32, HEX)}-us${1 + Math.floor(rand() * 20)}`, 'Mailchimp API keys'],
  ['shopify_token', () => `shpat_${chars(32, HEX)}`, 'Shopify access tokens'],
  ['shopify_token', () => `shpss_${chars(32, HEX)}`, 'Shopify shared secrets'],
  ['digitalocean_token', () => `dop_v1_${chars(64, HEX)}`, 'DigitalOcean PATs'],
  ['pypi_token', () => `pypi-AgEIcHlwaS5vcmc${b64url(70)}`, 'PyPI API tokens'],
  ['databricks_token', () => `dapi${chars(32, HEX)}`, 'Databricks PATs'],
  ['doppler_token', () => `dp.pt.${chars(43)}`, 'Doppler tokens'],
  ['linear_key', () => `lin_api_${chars(40)}`, 'Linear API keys'],
  ['postman_key', () => `PMAK-${chars(24, HEX)}-${chars(34, HEX)}`, 'Postman API keys'],
  ['pulumi_token', () => `pul-${chars(40, HEX)}`, 'Pulumi access tokens'],
  ['groq_key', () => `gsk_${chars(52)}`, 'Groq API keys'],
  ['replicate_token', () => `r8_${chars(37)}`, 'Replicate API tokens'],
  ['newrelic_key', () => `NRAK-${chars(27, UP + DG)}`, 'New Relic user API keys'],
  ['grafana_token', () => `glsa_${chars(32)}_${chars(8, HEX)}`, 'Grafana service account tokens'],
  ['sentry_token', () => `sntryu_${chars(64, HEX)}`, 'Sentry user auth tokens'],
  ['square_token', () => `EAAA${b64url(60)}`, 'Square access tokens'],
  ['square_token', () => `sq0csp-${b64url(43)}`, 'Square OAuth secrets'],
  ['telegram_bot_token', () => `${chars(9, DG).replace(/^0/, '1')}:AA${b64url(33)}`, 'Telegram Bot API tokens'],
  ['discord_webhook', () => `https://discord.com/api/webhooks/${chars(18, DG).replace(/^0/, '1')}/${b64url(68)}`, 'Discord webhooks'],
  ['figma_token', () => `figd_${b64url(40)}`, 'Figma PATs'],
  ['heroku_key', () => `HRKU-AA${b64url(58)}`, 'Heroku API keys'],
  ['age_secret_key', () => `AGE-SECRET-KEY-1${chars(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`, 'age secret keys'],
  ['perplexity_key', () => `pplx-${chars(48)}`, 'Perplexity API keys'],
  ['xai_key', () => `xai-${chars(80)}`, 'xAI API keys'],
  ['openrouter_key', () => `sk-or-v1-${chars(64, HEX)}`, 'OpenRouter keys'],
  ['supabase_token', () => `sbp_${chars(40, HEX)}`, 'Supabase access tokens'],
  ['planetscale_token', () => `pscale_tkn_${b64url(43)}`, 'PlanetScale service tokens'],
  ['vault_token', () => `hvs.${b64url(90)}`, 'HashiCorp Vault service tokens'],
  ['notion_token', () => `ntn_${chars(11, DG)}${chars(35)}`, 'Notion integration tokens'],
  ['airtable_token', () => `pat${chars(14)}.${chars(64, HEX)}`, 'Airtable PATs'],
  ['adafruit_key', () => `aio_${chars(28)}`, 'Adafruit IO keys'],
  ['jwt', () => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI${b64url(30)}.${b64url(43)}`, 'RFC 7519'],
  [
    'private_key',
    () => `-----BEGIN ${pick(['RSA ', 'EC ', 'OPENSSH ', ''])}PRIVATE KEY-----\n${chars(64, AN + '+/')}\n${chars(40, AN + '+/')}=\n-----END PRIVATE KEY-----`,
    'RFC 7468 PEM',
  ],
  ['api_key', () => `${chars(40, AN)}`, 'generic assignment'],
];
const SECRET_FRAMES =
  split === 'holdout'
    ? [
        'export TOKEN_VALUE={}',
        'curl -H "Authorization: Bearer {}" https://api.example.com',
        'config: {"key": "{}"}',
        'Here is my key {} please debug',
        'Mein Schlüssel lautet {} – bitte prüfen.',
        '鍵は {} です',
        '使用 {} 调用接口',
        'clé : {}',
      ]
    : ['value = "{}"', 'I pasted {} into the env file', 'Authorization: {}', '- {}', 'Ключ: {}', 'token {} expired?'];
for (const [kind, make, source] of SECRETS) {
  const reps = kind === 'api_key' ? 4 : 3;
  for (let k = 0; k < reps; k++) {
    const v = make();
    const f = kind === 'api_key' ? pick(['api_key={}', 'client_secret: "{}"', 'X-Api-Key: {}', 'PASSWORD={}']) : pick(SECRET_FRAMES);
    pos(
      'secret',
      kind,
      v,
      f,
      /[\u3040-\u30ff]/.test(f) ? 'ja' : /[\u4e00-\u9fff]/.test(f) ? 'zh' : /ü|Schl/.test(f) ? 'de' : /clé/.test(f) ? 'fr' : /Ключ/.test(f) ? 'ru' : 'en',
      `${source} (fake value in the published format)`,
    );
  }
}

// ---- look-alike negatives ----
const uuid = () => `${chars(8, HEX)}-${chars(4, HEX)}-4${chars(3, HEX)}-a${chars(3, HEX)}-${chars(12, HEX)}`;
const NEG = [
  ['card', () => `Order #${chars(16, DG)} shipped`],
  ['card', () => `Tracking number 1Z${chars(6, UP + DG)}${chars(10, DG)}`],
  ['card', () => `Timestamp ${1700000000000 + Math.floor(rand() * 1e10)} ms`],
  ['card', () => `ISBN 978-${chars(1, DG)}-${chars(4, DG)}-${chars(4, DG)}-${chars(1, DG)}`],
  ['card', () => `Invoice ${new Date(1.6e12 + rand() * 1e11).toISOString().slice(0, 10).replace(/-/g, '')}${chars(8, DG)}`],
  ['card', () => `Rechnungsnummer ${chars(4, DG)} ${chars(4, DG)} ${chars(4, DG)} ${chars(4, DG)} (kein Zahlungsmittel)`],
  ['card', () => `Price: $${Math.floor(rand() * 9999)}.${chars(2, DG)} and € ${chars(3, DG)},${chars(2, DG)}`],
  ['phone', () => `Version ${Math.floor(rand() * 20)}.${Math.floor(rand() * 30)}.${Math.floor(rand() * 100)}`],
  [
    'phone',
    () => `Date ${2000 + Math.floor(rand() * 30)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)} 12:${chars(2, '012345')}:${chars(2, '012345')}`,
  ],
  ['phone', () => `Build 20${chars(6, DG)}.${chars(4, DG)} finished`],
  ['phone', () => `Die Summe beträgt 1.${chars(3, DG)}.${chars(3, DG)},00 EUR`],
  ['phone', () => `commit ${chars(40, HEX)}`],
  ['phone', () => `Order id ${uuid()}`],
  ['iban', () => `Reference DE${chars(20, DG)} is an internal id`],
  ['iban', () => `Part number GB${chars(2, DG)}${chars(4, UP)}${chars(14, DG)} (check digits wrong)`],
  ['iban', () => `SKU FR${chars(25, DG)}`],
  ['iban', () => `Ticket NL${chars(2, DG)}ABCD${chars(10, DG)} closed`],
  [
    'ip',
    () => `Version ${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}`,
  ],
  ['ip', () => `Meeting at 10:${chars(2, '012345')}:${chars(2, '012345')} tomorrow`],
  ['ip', () => `Score 999.${chars(3, DG)}.${chars(3, DG)}.1`],
  ['ip', () => `MAC-like ab:cd:${chars(2, HEX)} and time 12:30`],
  ['ip', () => `Section 1.2.3 of the spec`],
  ['email', () => `Mention @${chars(6, LO)} on the forum`],
  ['email', () => `Package name @${chars(5, LO)}/${chars(6, LO)}@1.2.3`],
  ['email', () => `user at example dot com`],
  ['email', () => `decorator @${chars(6, LO)}.setter`],
  ['secret', () => `The key looks like sk-…REDACTED in the docs`],
  ['secret', () => `Use sk-proj-XXXXXXXX as a placeholder`],
  ['secret', () => `Request id ${uuid()}`],
  ['secret', () => `git sha ${chars(40, HEX)} merged`],
  ['secret', () => `sha256:${chars(64, HEX)}`],
  ['secret', () => `The token field is required; password must be 8 characters`],
  ['secret', () => `api_key=YOUR_API_KEY_HERE`],
  ['secret', () => `token: <redacted>`],
  ['secret', () => `Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE? No, use your own.`.replace('AKIAIOSFODNN7EXAMPLE', 'AKIA…')],
  ['secret', () => `See the skeleton at sk-learn docs and hf_hub_download()`],
  ['secret', () => `whsec_ prefix marks webhook secrets`],
  ['secret', () => `https://hooks.slack.com/services/ is the base URL`],
  ['secret', () => `The npm_config_cache variable`],
];
for (let k = 0; k < 5; k++) for (const [cat, make] of NEG) neg(cat, make(), 'en', 'look-alike');

writeFileSync(new URL(`./corpora/pii/${split}-generated.jsonl`, import.meta.url), `${items.map((x) => JSON.stringify(x)).join('\n')}\n`);
const p = items.filter((x) => x.label === 'positive').length;
console.log(`${split}: ${p} positives, ${items.length - p} negatives`);
