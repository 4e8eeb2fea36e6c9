#!/usr/bin/env node
/**
 * Writes bench/corpora/pii/tune-formats.jsonl: PII and secrets written the ways people and programs
 * write them that the generated corpora (bench/pii-corpus.mjs) do not vary — phone numbers with
 * extensions, trunk prefixes in brackets, Unicode dashes and no-break spaces, `tel:` links; e-mail
 * addresses obfuscated (`name [at] domain [dot] com`), in `mailto:` links, angle brackets, upper
 * case, IDN; IBANs in lower case and odd grouping; cards with dots; IPv4 with ports and CIDR
 * suffixes, IPv6 with zones; secrets as Authorization headers, password fields, Azure AD client
 * secrets, service-account JSON, connection strings — and look-alikes each must leave alone
 * (retina image names, MAC addresses, OIDs, hashes, UUIDs, Luhn-failing numbers, placeholders).
 *
 *   node scripts/corpora/tune-pii-formats.mjs
 *
 * Fake values only (random characters in each published format, checksums computed; phone numbers
 * from libphonenumber's example metadata). Deterministic (seeded). A tune file: never a holdout.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { rng } from '../seeded-random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'bench/corpora/pii/tune-formats.jsonl');
const SOURCE = 'own writing (scripts/corpora/tune-pii-formats.mjs); fake values in each published format';

const random = rng(60_551);
const pick = (list) => list[Math.floor(random() * list.length)];
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const DG = '0123456789';
const HEX = '0123456789abcdef';
const AN = UP + LO + DG;
const B64URL = `${AN}_-`;
const chars = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
/** Random characters of an alphabet with at least one letter and one digit (real keys mix them). */
const mixed = (alphabet, n) => {
  for (;;) {
    const s = chars(alphabet, n);
    if (/[0-9]/.test(s) && /[A-Za-z]/.test(s)) return s;
  }
};

const items = [];
let n = 0;
const id = () => `pii-f${String(++n).padStart(4, '0')}`;
function pos(category, kind, value, frame, lang = 'en', note = undefined) {
  const text = frame.replace('{}', value);
  items.push({ id: id(), text, label: 'positive', category, expect: [{ kind, value }], lang, source: SOURCE, ...(note ? { note } : {}) });
}
function neg(category, text, lang = 'en', note = undefined) {
  items.push({ id: id(), text, label: 'negative', category, expect: [], lang, source: SOURCE, ...(note ? { note } : {}) });
}

// ---- phones: international numbers written with extensions, brackets, Unicode separators, links ----
const PHONE_FRAMES = {
  en: ['Call me on {} after six.', 'Phone: {}', 'Reach the front desk at {}, ask for Sam.', '"phone": "{}"'],
  de: ['Rufen Sie mich unter {} an.', 'Tel.: {}'],
  fr: ['Appelez-moi au {} demain.', 'Tél. : {}'],
  es: ['Llámame al {} por favor.', 'Teléfono: {}'],
  pt: ['Ligue para {} amanhã.', 'Telefone: {}'],
  it: ['Chiamami al {} stasera.', 'Tel: {}'],
  nl: ['Bel mij op {} morgen.'],
  pl: ['Zadzwoń pod {} jutro.'],
  ru: ['Позвоните мне по номеру {}.'],
  ja: ['電話番号は{}です。'],
  zh: ['请拨打{}联系我。'],
  ar: ['اتصل بي على {} من فضلك'],
  hi: ['मुझे {} पर कॉल करें।'],
  tr: ['Beni {} numarasından arayın.'],
};
const COUNTRY_LANG = {
  US: 'en',
  GB: 'en',
  DE: 'de',
  FR: 'fr',
  ES: 'es',
  BR: 'pt',
  PT: 'pt',
  IT: 'it',
  NL: 'nl',
  PL: 'pl',
  RU: 'ru',
  JP: 'ja',
  CN: 'zh',
  AE: 'ar',
  SA: 'ar',
  IN: 'hi',
  TR: 'tr',
  AU: 'en',
  CA: 'en',
  MX: 'es',
  AR: 'es',
  CH: 'de',
  AT: 'de',
  BE: 'fr',
  IE: 'en',
  SE: 'en',
  KR: 'en',
  ZA: 'en',
  NG: 'en',
  SG: 'en',
};
/** A valid number of a country near its example (last digits varied), so numbers differ from the generated corpora's. */
function phoneOf(cc) {
  const ex = getExampleNumber(cc, examples);
  for (let k = 0; k < 20; k++) {
    const national = ex.nationalNumber.slice(0, -2) + chars(DG, 2);
    const p = parsePhoneNumberFromString(`+${ex.countryCallingCode}${national}`);
    if (p?.isValid()) return p;
  }
  return ex;
}
const DASHES = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2212'];
const SPACES = ['\u00a0', '\u202f', '\u2009'];
const phoneForms = [
  (p) => `${p.formatInternational()} ext. ${chars(DG, 3)}`,
  (p) => `${p.formatInternational()} x${chars(DG, 4)}`,
  (p) => `${p.formatInternational()};ext=${chars(DG, 2)}`,
  (p) => p.formatInternational().replace(/-/g, ' ').replace(/ /g, pick(DASHES)),
  (p) => p.formatInternational().replace(/ /g, pick(SPACES)),
  (p) => `tel:${p.number}`,
  (p) => p.getURI(),
  (p) => p.formatInternational().replace(/ /g, '.'),
  (p) => p.formatInternational().replace(/ /g, '/'),
  (p) => `(${p.formatInternational().split(' ')[0]}) ${p.formatInternational().split(' ').slice(1).join(' ')}`,
  (p) => p.formatInternational().replace(/^\+/, '00'),
  (p) => p.formatInternational().replace(/^\+/, '＋'),
];
for (const [cc, lang] of Object.entries(COUNTRY_LANG)) {
  for (let k = 0; k < 3; k++) {
    const p = phoneOf(cc);
    const form = pick(phoneForms)(p);
    pos('phone', 'phone', form, pick(PHONE_FRAMES[lang] ?? PHONE_FRAMES.en), lang);
  }
}
// Trunk prefix in brackets, the way the UK, Germany and Switzerland write it.
for (const [cc, trunk] of [
  ['GB', '0'],
  ['DE', '0'],
  ['CH', '0'],
  ['AT', '0'],
  ['IT', '0'],
  ['NL', '0'],
]) {
  const p = phoneOf(cc);
  const intl = p.formatInternational();
  const [code, ...rest] = intl.split(' ');
  pos('phone', 'phone', `${code} (${trunk}) ${rest.join(' ')}`, pick(PHONE_FRAMES[COUNTRY_LANG[cc]] ?? PHONE_FRAMES.en), COUNTRY_LANG[cc]);
}
// National formats, as each country writes them (read without a configured country: trunk 0, or North American groups).
for (const cc of ['GB', 'DE', 'FR', 'IT', 'NL', 'AU', 'IN', 'JP', 'CH', 'AT', 'BE', 'SE', 'IE', 'US', 'US', 'CA']) {
  const p = phoneOf(cc);
  const lang = COUNTRY_LANG[cc] ?? 'en';
  pos('phone', 'phone', p.formatNational(), pick(PHONE_FRAMES[lang] ?? PHONE_FRAMES.en), lang, 'national format');
}
pos('phone', 'phone', phoneOf('US').formatNational().replace(/[()]/g, '').replace(' ', '-'), 'Call 24/7: {}', 'en', 'national format');
pos('phone', 'phone', phoneOf('US').formatNational().replace(/[()]/g, '').replace(/[ -]/g, '.'), 'Fax {} (front office)', 'en', 'national format');
// Look-alikes: numbers with separators that are no phone number.
const phoneNegatives = [
  'Order ORD-2024-558812 shipped on 2024-05-10 at 14:32:05.',
  'ISBN 978-3-16-148410-0, second edition, 2019.',
  'Total: 1,234,567.89 EUR (VAT 19 %).',
  'The build 10.2.3.4567 fixed the crash on start.',
  'Coordinates +48.8566, +2.3522 (Paris).',
  'Temperature rose by +15.5 °C between 06:00 and 14:00.',
  'Invoice 2023/11/000245 is overdue by 30 days.',
  'Tracking number 1Z 999 AA1 01 2345 6784 (UPS).',
  'Serial: SN-4410-2291-0037, batch 7.',
  'Range 10000000–19999999 is reserved for tests.',
  'Timestamp 1700000000123 ms since the epoch.',
  'Score: +3 -1 +4 -1 +5 after five rounds.',
  'Case no. 4 C 123/2024 at the district court.',
  'Lot 2024-0815-0042 expires 31.12.2026.',
  'The patch bumped the version from 3.14.159 to 3.14.1592.',
  'Pi is 3.14159265358979 to fourteen places.',
  'GPS 40.7128 -74.0060 was logged at 12:30:45.',
  'Ticket #20240510-001234 was closed.',
  'Boston, MA 02134-1234, United States.',
  'Build 0.10.12345 is the nightly.',
  'Lines 000-000-0000 and (555) 555-5555 are placeholders in the form.',
  'Part 123-456-7890 is discontinued.',
  'Run 0 of 1234567 finished at 01/02/2024 10:30.',
  'Order 0123-456-789 ships Monday.',
  'Rechnung Nr. 0815 4711 22 ist bezahlt.',
  'The sample SSN 078-05-1120 was printed on wallet inserts.',
  'Facture n° 03 12 45 67 89 du 3 mars.',
];
for (const t of phoneNegatives) neg('phone', t);

// ---- e-mail: obfuscated, linked, bracketed, upper case, international ----
const NAMES = ['jane.doe', 'max.mustermann', 'j.smith', 'maria_garcia', 'li.wei', 'o.nowak', 'k.tanaka', 'a.rossi', 'p.dubois', 'm.silva'];
const DOMAINS = ['example.com', 'beispiel.de', 'exemple.fr', 'ejemplo.es', 'example.co.uk', 'mail.example.org', 'corp.example.net', 'esempio.it'];
const EMAIL_FRAMES = ['Write to {} for the invoice.', 'Contact: {}', 'Send the form to {} please.', 'Kontakt: {}', 'Escríbeme a {} mañana.', 'Écrivez à {}.'];
const obfuscations = [
  (l, d) => `${l} [at] ${d.replace(/\./g, ' [dot] ')}`,
  (l, d) => `${l}[at]${d.replace(/\./g, '[dot]')}`,
  (l, d) => `${l} (at) ${d.replace(/\./g, ' (dot) ')}`,
  (l, d) => `${l}(at)${d}`,
  (l, d) => `${l} [at] ${d}`,
  (l, d) => `${l} {at} ${d.replace(/\./g, ' {dot} ')}`,
  (l, d) => `${l}[@]${d}`,
  (l, d) => `${l} (@) ${d}`,
  (l, d) => `${l} AT ${d.replace(/\./g, ' DOT ')}`,
];
for (let k = 0; k < 18; k++) pos('email', 'email', obfuscations[k % obfuscations.length](pick(NAMES), pick(DOMAINS)), pick(EMAIL_FRAMES), 'en', 'obfuscated');
const plainForms = [
  (l, d) => `mailto:${l}@${d}`,
  (l, d) => `<${l}@${d}>`,
  (l, d) => `${l}@${d}`.toUpperCase(),
  (l, d) => `${l}+newsletter@${d}`,
  (l, d) => `${l}@${d.replace('example', 'exämple')}`,
  (l, d) => `${l}＠${d}`,
  (l, d) => `${l}&#64;${d}`,
  (l, d) => `${l}%40${d}`,
  (l, d) => `"${l}"@${d}`,
];
for (let k = 0; k < 18; k++) {
  const form = plainForms[k % plainForms.length];
  const value = form(pick(NAMES), pick(DOMAINS));
  // The quoted local part is matched from the quote: the address is what follows it.
  pos('email', 'email', value.startsWith('"') ? value.replace(/"/g, '') : value, pick(EMAIL_FRAMES).replace('{}', value.startsWith('"') ? `"{}` : '{}'));
}
const emailNegatives = [
  'Use icon@2x.png for retina screens and icon@3x.png for the largest.',
  'The sprite logo@2x.webp is 64 pixels wide.',
  'Follow @gatehouse_dev on social media.',
  'Install it with npm install @scope/package@1.2.3 today.',
  'Mention @maria in the review thread.',
  'The decorator @Injectable() marks the class.',
  'CSS: @media (max-width: 600px) { .nav { display: none; } }',
  'Meet me at the cafe, then we go at nine.',
  'Look at this dot com bubble chart from 2000.',
  'The regex ^[^@]+@[^@]+$ checks the shape only.',
  'Write to [email protected] (address hidden by the site).',
  'user@localhost is not routable outside the machine.',
];
for (const t of emailNegatives) neg('email', t);

// ---- IBANs: lower case, irregular grouping, prefixed ----
const BBAN = {
  DE: 'n18',
  FR: 'n10c11n2',
  GB: 'a4n14',
  ES: 'n20',
  IT: 'a1n10c12',
  NL: 'a4n10',
  BE: 'n12',
  CH: 'n5c12',
  PL: 'n24',
  AT: 'n16',
  SE: 'n20',
  NO: 'n11',
};
function bban(spec) {
  let s = '';
  for (const [, t, len] of spec.matchAll(/([nac])(\d+)/g)) s += chars(t === 'n' ? DG : t === 'a' ? UP : UP + DG, Number(len));
  return s;
}
function iban(cc) {
  const b = bban(BBAN[cc]);
  const rearranged = `${b}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const d of rearranged) rem = (rem * 10 + Number(d)) % 97;
  return `${cc}${String(98 - rem).padStart(2, '0')}${b}`;
}
const group4 = (s) => s.replace(/(.{4})(?=.)/g, '$1 ');
const ibanForms = [
  (s) => s.toLowerCase(),
  (s) => group4(s).toLowerCase(),
  (s) => group4(s),
  (s) => s.replace(/(.{4})(?=.)/g, '$1-'),
  (s) => `${s.slice(0, 4)} ${s.slice(4)}`,
  (s) => group4(s).replace(/ /g, '\u00a0'),
];
const IBAN_FRAMES = ['IBAN: {}', 'Please transfer the deposit to {} by Friday.', 'Bankverbindung: {}', 'RIB / IBAN : {}', 'Cuenta: {}', '"iban": "{}"'];
for (const cc of Object.keys(BBAN)) for (let k = 0; k < 2; k++) pos('iban', 'iban', pick(ibanForms)(iban(cc)), pick(IBAN_FRAMES));
for (const t of [
  'BIC DEUTDEFFXXX and sort code 20-00-00.',
  'Reference DE00 0000 0000 0000 0000 00 is a template.',
  'The part number GB82WEST is printed on the label.',
  'Model FR76-3000 ships in March.',
  'Account number 0532013000, bank code 37040044 (no IBAN given).',
  'Routing ES91 is a bus line in Madrid.',
])
  neg('iban', t);
// One digit changed: the checksum fails.
for (const cc of ['DE', 'FR', 'NL', 'IT']) {
  const good = iban(cc);
  const i = good.length - 3;
  neg('iban', `IBAN ${group4(good.slice(0, i) + String((Number(good[i]) + 1) % 10) + good.slice(i + 1))} (typo)`, 'en', 'checksum fails');
}

// ---- cards: Luhn-valid numbers in issuers' ranges, written with dots, spaces, dashes ----
function luhnComplete(prefix, length) {
  let body = prefix + chars(DG, length - prefix.length - 1);
  for (let d = 0; d <= 9; d++) {
    const s = body + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = Number(s[s.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) {
      body = s;
      break;
    }
  }
  return body;
}
const CARD_ISSUERS = [
  ['4', 16],
  ['51', 16],
  ['2221', 16],
  ['37', 15],
  ['6011', 16],
  ['3530', 16],
  ['62', 19],
  ['36', 14],
  ['2200', 16],
  ['6759', 16],
];
const cardForms = [(s) => s.replace(/(\d{4})(?=\d)/g, '$1.'), (s) => s.replace(/(\d{4})(?=\d)/g, '$1 '), (s) => s.replace(/(\d{4})(?=\d)/g, '$1-'), (s) => s];
const CARD_FRAMES = ['Card: {} exp 08/29', 'Paid with {} yesterday.', 'Kartennummer {}', 'Numéro de carte : {}', '"pan": "{}"'];
for (const [prefix, len] of CARD_ISSUERS) for (let k = 0; k < 2; k++) pos('card', 'card', pick(cardForms)(luhnComplete(prefix, len)), pick(CARD_FRAMES));
for (const [prefix, len] of CARD_ISSUERS.slice(0, 6)) {
  const good = luhnComplete(prefix, len);
  const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
  neg('card', `Order ${bad.replace(/(\d{4})(?=\d)/g, '$1 ')} (not a card: checksum fails)`);
}
for (const t of [
  'IMEI 35-209900-176148-1 on the device label.',
  'Request id 1234567890123456 was retried.',
  'Timestamp 1716212345678 in milliseconds.',
  'Version 4.1.2.1111 of the driver.',
  'Phone serial 4111 11 is unrelated.',
])
  neg('card', t);

// ---- IP addresses ----
const ipv4 = () => `${pick([10, 172, 192, 203, 198, 81, 91])}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
const IP_FRAMES = ['Client IP {} was blocked.', 'Connect to {} for the staging server.', 'Login from {}, please verify.', 'Adresse IP : {}', 'IP-Adresse {}'];
for (let k = 0; k < 6; k++) pos('ip', 'ipv4', `${ipv4()}:${pick([22, 443, 8080, 5432])}`, pick(IP_FRAMES));
for (let k = 0; k < 4; k++) pos('ip', 'ipv4', `${ipv4()}/${pick([24, 32, 16])}`, pick(IP_FRAMES));
for (let k = 0; k < 4; k++) pos('ip', 'ipv4', ipv4(), 'See http://{}:8080/admin for the console.');
const hex4 = () => chars(HEX, 4).replace(/^0+(?=.)/, '');
const ipv6Forms = [
  () => `2001:db8:${hex4()}:${hex4()}::${hex4()}`,
  () => `fe80::${hex4()}:${hex4()}:${hex4()}:${hex4()}%eth0`,
  () => `2001:0db8:${chars(HEX, 4)}:${chars(HEX, 4)}:${chars(HEX, 4)}:${chars(HEX, 4)}:${chars(HEX, 4)}:${chars(HEX, 4)}`,
  () => `::ffff:${ipv4()}`,
  () => `2a00:1450:${hex4()}:${hex4()}::200e`,
];
for (let k = 0; k < 10; k++)
  pos('ip', 'ipv6', ipv6Forms[k % ipv6Forms.length](), pick(['Client {} connected.', 'Peer [{}]:443 refused the call.', 'Logged from {}.']));
for (const t of [
  'MAC address 00:1A:2B:3C:4D:5E is on the allowlist.',
  'OID 1.3.6.1.4.1.311.21.8 identifies the template.',
  'Released as version 2.10.3.1 last week.',
  'Meeting at 12:30:45 in room 4.',
  'The value 999.12.1.1 is out of range.',
  'Section 3.2.1.4 covers retries.',
  'Hash prefix dead:beef is a joke.',
  'Ratio 16:9:4 for the layout.',
])
  neg('ip', t);

// ---- secrets ----
const SECRET_FRAMES = ['{}', 'export TOKEN_VALUE="{}"', 'The key {} was pasted in the chat.', 'config: {}'];
const keys = [
  ['openai_key', () => `sk-proj-${mixed(B64URL, 48)}T3BlbkFJ${mixed(B64URL, 48)}`],
  ['anthropic_key', () => `sk-ant-api03-${mixed(B64URL, 93)}AA`],
  ['github_token', () => `ghp_${mixed(AN, 36)}`],
  ['github_token', () => `github_pat_${mixed(AN, 22)}_${mixed(AN, 59)}`],
  ['gitlab_token', () => `glpat-${mixed(B64URL, 20)}`],
  ['slack_token', () => `xoxb-${chars(DG, 12)}-${chars(DG, 13)}-${mixed(AN, 24)}`],
  ['stripe_key', () => `sk_live_${mixed(AN, 24)}`],
  ['stripe_key', () => `rk_live_${mixed(AN, 24)}`],
  ['huggingface_token', () => `hf_${chars(UP + LO, 34)}`],
  ['npm_token', () => `npm_${mixed(AN, 36)}`],
  ['pypi_token', () => `pypi-AgEIcHlwaS5vcmc${mixed(B64URL, 70)}`],
  ['sendgrid_key', () => `SG.${mixed(B64URL, 22)}.${mixed(B64URL, 43)}`],
  ['twilio_key', () => `SK${chars(HEX, 32)}`],
  ['mailgun_key', () => `key-${chars(HEX, 32)}`],
  ['shopify_token', () => `shpat_${chars(HEX, 32)}`],
  ['aws_access_key', () => `AKIA${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`],
  ['gcp_api_key', () => `AIza${mixed(B64URL, 35)}`],
  ['telegram_bot_token', () => `${chars(DG, 10)}:AA${mixed(B64URL, 33)}`],
];
for (const [kind, make] of keys) pos('secret', kind, make(), pick(SECRET_FRAMES));
// Assigned, quoted and sent as headers.
const token40 = () => mixed(`${AN}+/`, 40);
pos('secret', 'api_key', token40(), 'Authorization: Bearer {}');
pos('secret', 'api_key', mixed(AN, 32), 'curl -H "Authorization: Bearer {}" https://api.example.com/v1/items');
pos('secret', 'api_key', `${mixed(AN, 20)}==`, 'Authorization: Basic {}');
pos('secret', 'api_key', mixed(AN, 32), '-H "X-API-Key: {}"');
pos('secret', 'api_key', token40(), 'aws_secret_access_key = {}');
pos('secret', 'api_key', token40(), '{"AWS_SECRET_ACCESS_KEY": "{}"}');
pos('secret', 'api_key', `${mixed(AN, 3)}8Q~${mixed(`${AN}_~.-`, 34)}`, 'AZURE_CLIENT_SECRET={}');
pos('secret', 'api_key', `${mixed(AN, 3)}8Q~${mixed(`${AN}_~.-`, 34)}`, 'The app registration secret is {} (expires in 90 days).');
pos('secret', 'api_key', mixed(AN, 24), '{"client_secret": "{}", "client_id": "1234"}');
pos('secret', 'api_key', `Tr0ub4dor&3-${chars(DG, 2)}`, '{"username": "admin", "password": "{}"}');
pos('secret', 'api_key', `S3cure!${chars(LO, 3)}${chars(DG, 3)}`, 'password: {}');
pos('secret', 'api_key', `Winter2024!${chars(DG, 2)}`, 'DB_PASSWORD={}');
pos('secret', 'url_password', `p4ss-${mixed(AN, 10)}`, 'mongodb+srv://app:{}@cluster0.example.mongodb.net/prod');
pos('secret', 'url_password', mixed(AN, 16), 'DATABASE_URL=postgresql://svc_user:{}@db.internal:5432/orders');
pos('secret', 'url_password', mixed(AN, 12), 'amqp://guest:{}@rabbit.internal:5672/');
pos(
  'secret',
  'private_key',
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${mixed(`${AN}+/`, 70)}\n${mixed(`${AN}+/`, 70)}\n-----END OPENSSH PRIVATE KEY-----`,
  'id_ed25519:\n{}',
);
pos(
  'secret',
  'private_key',
  `-----BEGIN PRIVATE KEY-----\\n${mixed(`${AN}+/`, 64)}\\n${mixed(`${AN}+/`, 64)}\\n-----END PRIVATE KEY-----\\n`,
  '{"type": "service_account", "project_id": "demo-123", "private_key": "{}"}',
);
pos('secret', 'jwt', `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${mixed(B64URL, 60)}.${mixed(B64URL, 43)}`, 'Cookie: session={}; Path=/; HttpOnly');
pos('secret', 'slack_webhook', `https://hooks.slack.com/services/T${mixed(UP + DG, 8)}/B${mixed(UP + DG, 10)}/${mixed(AN, 24)}`, 'Webhook: {}');
// Look-alikes.
for (const t of [
  'Request id 3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f6a7b8 failed.',
  'Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed it.',
  'sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'Set OPENAI_API_KEY=sk-... in your shell (see the docs).',
  'Authorization: Bearer <token>',
  'Authorization: Bearer YOUR_ACCESS_TOKEN',
  'api_key=YOUR_API_KEY_HERE',
  'password: required, at least 12 characters',
  '{"password": "********"}',
  '{"password_hint": "your first pet", "password_min_length": 12}',
  'The token count was 12345 for this prompt.',
  'Use ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx as a placeholder.',
  'postgres://user:password@localhost:5432/db (template)',
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'Reset your password at https://example.com/reset-password?step=2',
  'The secret to a good sourdough is patience.',
  'BEGIN PUBLIC KEY blocks are safe to share.',
  'Key rotation every 90 days, tokens expire after 3600 seconds.',
])
  neg('secret', t);

writeFileSync(out, `${items.map((x) => JSON.stringify(x)).join('\n')}\n`);
const tally = {};
for (const x of items) tally[`${x.category}/${x.label}`] = (tally[`${x.category}/${x.label}`] ?? 0) + 1;
console.log(`${items.length} items → ${out}`, tally);
