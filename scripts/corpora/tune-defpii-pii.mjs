#!/usr/bin/env node
// Writes bench/corpora/pii/tune-defpii.jsonl (#51, defpii set): look-alike negatives in many formats and languages
// (order, tracking, invoice and device numbers, IMEI/ICCID, ISBN/ORCID/DOI, timestamps, prices, coordinates, versions,
// netmasks, scp-style remotes, payment-object ids, documentation keys, masked values) and positives in many formats. Seeded.
import { writeFileSync } from 'node:fs';

let seed = 51;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const pick = (a) => a[Math.floor(rnd() * a.length)];
const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const alnum = (n, set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') =>
  Array.from({ length: n }, () => set[int(0, set.length - 1)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const luhnOk = (s) => {
  let sum = 0;
  const d = s.split('').reverse().map(Number);
  d.forEach((x, i) => {
    if (i % 2) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  });
  return sum % 10 === 0;
};
const luhnComplete = (p) => {
  for (let c = 0; c < 10; c++) if (luhnOk(p + c)) return p + c;
};
const luhnFail = (p) => {
  for (let c = 0; c < 10; c++) if (!luhnOk(p + c)) return p + c;
};
const mod97 = (s) => {
  let r = 0;
  for (const ch of s) r = (r * 10 + Number(ch)) % 97;
  return r;
};
const ibanOf = (cc, bban) => {
  const num = (bban + cc + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const ck = String(98 - mod97(num)).padStart(2, '0');
  return cc + ck + bban;
};
const group4 = (s, sep = ' ') => s.match(/.{1,4}/g).join(sep);
const out = [];
const neg = (category, note, text, lang = 'en') =>
  out.push({
    id: `pii-defpii-n${String(out.length + 1).padStart(3, '0')}`,
    text,
    label: 'negative',
    category,
    lang,
    source: 'own writing (defpii look-alike set)',
    note,
  });
const pos = (category, kind, value, text, lang = 'en') =>
  out.push({
    id: `pii-defpii-p${String(out.length + 1).padStart(3, '0')}`,
    text,
    label: 'positive',
    category,
    expect: [{ kind, value }],
    lang,
    source: 'own writing (defpii set)',
  });

// ---- negatives: phone look-alikes
const orderWords = [
  ['Order', 'en'],
  ['Bestellnummer', 'de'],
  ['N° de commande', 'fr'],
  ['Pedido nº', 'es'],
  ['Ordine n.', 'it'],
  ['Zamówienie nr', 'pl'],
  ['注文番号', 'ja'],
  ['订单号', 'zh'],
  ['Номер заказа', 'ru'],
  ['Sipariş no', 'tr'],
  ['Bestelling', 'nl'],
  ['Pedido', 'pt'],
];
for (let i = 0; i < 24; i++) {
  const [w, l] = orderWords[i % orderWords.length];
  neg('phone', 'order number', `${w}: ${digits(int(9, 12))}`, l);
}
for (let i = 0; i < 10; i++) neg('phone', 'tracking number', pick(['UPS tracking 1Z', 'Tracking: 1Z']) + alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'));
for (let i = 0; i < 10; i++)
  neg('phone', 'tracking number', `${pick(['USPS', 'Sendungsnummer', 'Colissimo', 'Correos seguimiento'])} ${digits(20)}`, pick(['en', 'de', 'fr', 'es']));
for (let i = 0; i < 10; i++) neg('phone', 'FedEx tracking', `FedEx ${digits(12)} delivered`);
for (let i = 0; i < 12; i++)
  neg(
    'phone',
    'timestamp',
    pick([
      `logged at ${2020 + int(0, 6)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')} ${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`,
      `epoch ${int(1600000000, 1800000000)}`,
      `ts=${int(1600000000, 1800000000)}${digits(3)}`,
      `${String(int(1, 28)).padStart(2, '0')}.${String(int(1, 12)).padStart(2, '0')}.${2000 + int(0, 26)} ${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`,
    ]),
  );
for (let i = 0; i < 10; i++)
  neg(
    'phone',
    'price',
    pick([
      `Total: $${int(1, 9)},${digits(3)},${digits(3)}.${digits(2)}`,
      `Preis: ${int(1, 99)}.${digits(3)}.${digits(3)},${digits(2)} €`,
      `¥${int(1, 9)},${digits(3)},${digits(3)}`,
      `₹${int(1, 99)},${digits(2)},${digits(3)}.00`,
    ]),
    pick(['en', 'de', 'ja', 'hi']),
  );
for (let i = 0; i < 8; i++)
  neg('phone', 'coordinates', `${pick(['lat/lng', 'GPS', 'Koordinaten'])} ${(int(-89, 89) + rnd()).toFixed(6)}, ${(int(-179, 179) + rnd()).toFixed(6)}`);
for (let i = 0; i < 10; i++)
  neg(
    'phone',
    'ISBN',
    pick([`ISBN 978-${int(0, 9)}-${digits(3)}-${digits(5)}-${int(0, 9)}`, `ISBN-13: 978${digits(10)}`, `ISBN ${int(0, 9)}-${digits(4)}-${digits(4)}-X`]),
  );
for (let i = 0; i < 8; i++)
  neg(
    'phone',
    'SKU / part number',
    pick([
      `SKU ${digits(3)}-${digits(4)}-${digits(3)}`,
      `Part no. ${digits(4)}-${digits(3)}-${digits(3)}`,
      `Art.-Nr. ${digits(3)}.${digits(3)}.${digits(2)}`,
      `EAN ${digits(13)}`,
    ]),
  );
for (let i = 0; i < 8; i++)
  neg(
    'phone',
    'version / build',
    pick([
      `build ${int(1, 9)}.${int(0, 40)}.${digits(4)}.${digits(3)}`,
      `Version ${int(10, 20)}.${int(0, 9)}.${digits(5)}.${digits(4)}`,
      `kernel ${int(4, 6)}.${int(0, 19)}.${int(0, 200)}-${digits(3)}-generic`,
    ]),
  );
for (const t of [`+1 (555) ***-**${digits(2)}`, `Tel. +49 *** *** ${digits(2)}`, `ends in ${digits(4)}`, `+33 6 XX XX XX ${digits(2)}`])
  neg('phone', 'masked phone', t);
for (let i = 0; i < 8; i++)
  neg(
    'phone',
    'id',
    pick([
      `Ticket #${digits(8)}`,
      `Invoice INV-${digits(4)}-${digits(6)}`,
      `Case ${digits(3)}-${digits(3)}-${digits(4)} (not a phone)`,
      `Kundennummer ${digits(10)}`,
      `Aktenzeichen ${digits(2)} O ${digits(3)}/${digits(2)}`,
    ]),
  );
for (let i = 0; i < 6; i++)
  neg('phone', 'range / math', pick([`pages ${digits(3)}-${digits(3)}`, `${digits(4)}-${digits(4)} (years)`, `${digits(3)} / ${digits(3)} / ${digits(4)}`]));
// ---- negatives: card look-alikes
for (let i = 0; i < 12; i++)
  neg(
    'card',
    'order number, Luhn-invalid',
    `${pick(['Order', 'Reference', 'Referenz', 'Référence', 'Número de pedido'])} ${group4(luhnFail(pick(['4', '5', '37', '6011']) + digits(14)).slice(0, 16))}`,
  );
for (const t of [
  `Visa •••• •••• •••• ${digits(4)}`,
  `card ending ${digits(4)}`,
  `**** **** **** ${digits(4)}`,
  `${digits(4)} XXXX XXXX ${digits(4)}`,
  `${digits(6)}******${digits(4)}`,
])
  neg('card', 'masked card', t);
for (let i = 0; i < 6; i++) neg('card', 'tracking/EAN', pick([`EAN-13 ${digits(13)}`, `GTIN ${digits(14)}`, `UPS ${digits(18)}`]));
for (let i = 0; i < 6; i++) neg('card', 'timestamp ms', `created_at_ms=${int(1600000000, 1800000000)}${digits(3)}${digits(3)}`);
for (let i = 0; i < 6; i++) neg('card', 'UUID/hash', pick([uuid(), `sha256 ${hex(64)}`, `commit ${hex(40)}`]));
// ---- negatives: IBAN look-alikes
for (let i = 0; i < 10; i++) {
  const good = ibanOf(pick(['DE', 'FR', 'GB', 'ES', 'NL']), digits(18));
  const bad = good.slice(0, 2) + String((Number(good.slice(2, 4)) + 1) % 100).padStart(2, '0') + good.slice(4);
  neg('iban', 'checksum-invalid IBAN-shaped id', `${pick(['Ref', 'Contract', 'Vertrag', 'Dossier'])} ${bad}`);
}
for (let i = 0; i < 8; i++)
  neg(
    'iban',
    'SKU / serial',
    pick([
      `SKU ${pick(['DE', 'FR', 'IT', 'ES'])}${digits(2)}${alnum(12, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`,
      `Serial ${pick(['GB', 'NL'])}${digits(2)}-${alnum(4, 'ABCDEFGHJKLMNPQRSTUVWXYZ')}-${digits(6)}`,
      `VAT ${pick(['DE', 'FR', 'IT', 'ES', 'NL'])}${digits(9)}`,
    ]),
  );
for (const t of [`IBAN DE** **** **** **** **${digits(2)} ${digits(2)}`, `IBAN ending ${digits(4)}`, `FR76 XXXX XXXX XXXX XXXX XXXX ${digits(3)}`])
  neg('iban', 'masked IBAN', t);
// ---- negatives: IP look-alikes
for (let i = 0; i < 10; i++)
  neg(
    'ip',
    'version string',
    pick([
      `v${int(1, 9)}.${int(0, 20)}.${int(0, 99)}.${int(0, 999)}`,
      `Chrome/${int(100, 130)}.0.${digits(4)}.${digits(3)}`,
      `OID 1.3.6.1.4.1.${digits(4)}`,
      `firmware ${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(10, 99)}`,
      `package foo@${int(1, 9)}.${int(0, 9)}.${int(0, 9)}`,
    ]),
  );
for (let i = 0; i < 6; i++)
  neg(
    'ip',
    'section numbers',
    pick([`see section ${int(1, 9)}.${int(1, 9)}.${int(1, 9)}.${int(1, 9)}`, `§ ${int(1, 9)}.${int(1, 9)}.${int(1, 9)}.${int(1, 9)} Abs. 2`]),
    pick(['en', 'de']),
  );
for (const t of [
  `${int(10, 23)}:${int(10, 59)}:${int(10, 59)}`,
  `aspect 16:9, ratio 4:3:2`,
  `Bible John 3:16`,
  `MAC ${Array.from({ length: 6 }, () => hex(2)).join(':')}`,
])
  neg('ip', 'time / ratio', t);
// ---- negatives: email look-alikes
for (const t of [
  `follow @${alnum(8, 'abcdefghijklmnopqrstuvwxyz')} on X`,
  `import x from '@${alnum(6, 'abcdefghijklmnopqrstuvwxyz')}/core'`,
  `@Override public void run()`,
  `git@github.com:org/repo.git`,
  `image@2x.png and icon@3x.png`,
  `price @ 4.99 each`,
  `user@localhost`,
  `name@host (placeholder)`,
])
  neg('email', 'handles / decorators / npm scopes', t);
// ---- negatives: secret look-alikes
for (const t of [
  `OPENAI_API_KEY=sk-...your-key-here`,
  `api_key: "<YOUR_API_KEY>"`,
  `export STRIPE_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx`,
  `AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE`,
  `token: ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
  `password = "changeme"`,
  `SECRET_KEY=${'*'.repeat(20)}`,
  `Authorization: Bearer <token>`,
  `apiKey: process.env.API_KEY`,
  `sk-ant-api03-REDACTED`,
  `xoxb-your-slack-bot-token`,
  `password: ********`,
])
  neg('secret', 'example / placeholder key', t);
for (let i = 0; i < 12; i++)
  neg(
    'secret',
    'hashes / ids in prose',
    pick([
      `commit ${hex(40)} fixed the build`,
      `sha256:${hex(64)}`,
      `request id ${uuid()}`,
      `etag "${hex(32)}"`,
      `docker image sha256:${hex(64)}`,
      `integrity sha512-${alnum(40)}== in lockfile`,
      `Trace ${hex(32)}`,
      `Session cookie name: JSESSIONID`,
    ]),
  );
for (const t of [
  `file_${alnum(24)}.pdf`,
  `bucket my-app-prod-${digits(12)}`,
  `arn:aws:iam::${digits(12)}:role/deploy`,
  `Pod nginx-${hex(10)}-${alnum(5, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
  `YouTube https://youtu.be/${alnum(11)}`,
  `base64 image data:image/png;base64,iVBORw0KGgo${alnum(40)}`,
])
  neg('secret', 'identifiers', t);

// ---- more look-alikes: device and document identifiers with their own check digits, payment-object ids, public keys
const imei = () => luhnComplete('35' + digits(12));
for (let i = 0; i < 8; i++)
  neg('card', 'IMEI (Luhn-valid device id)', `${pick(['IMEI', 'IMEI-Nummer', 'Numéro IMEI', 'IMEI:'])} ${imei()}`, pick(['en', 'de', 'fr']));
for (let i = 0; i < 8; i++)
  neg('card', 'SIM ICCID (Luhn-valid)', `${pick(['ICCID', 'SIM card ICCID', 'SIM-Kartennummer (ICCID)'])} ${luhnComplete('8944' + digits(14))}`);
for (let i = 0; i < 6; i++) neg('card', 'ORCID', `ORCID ${digits(4)}-${digits(4)}-${digits(4)}-${digits(3)}${pick(['X', String(int(0, 9))])}`);
for (let i = 0; i < 6; i++) neg('phone', 'Amazon order id', `Amazon order ${digits(3)}-${digits(7)}-${digits(7)}`);
for (let i = 0; i < 6; i++)
  neg(
    'phone',
    'ISSN / DOI / patent',
    pick([
      `ISSN ${digits(4)}-${digits(3)}X`,
      `doi:10.${digits(4)}/${digits(6)}.${digits(4)}`,
      `US patent ${int(10, 11)},${digits(3)},${digits(3)}`,
      `EP ${digits(7)} B1`,
    ]),
  );
for (let i = 0; i < 6; i++)
  neg(
    'phone',
    'postal code and street',
    pick([
      `${digits(5)} Berlin, Postfach ${digits(2)} ${digits(2)} ${digits(2)}`,
      `CEP ${digits(5)}-${digits(3)}`,
      `〒${digits(3)}-${digits(4)} 東京都`,
      `Почтовый индекс ${digits(6)}`,
    ]),
    pick(['de', 'pt', 'ja', 'ru']),
  );
for (let i = 0; i < 6; i++) neg('phone', 'sort code and account', `Sort code ${digits(2)}-${digits(2)}-${digits(2)}, account ${digits(8)}`);
for (const t of [
  `customer cus_${alnum(14)}`,
  `payment intent pi_${alnum(24)}`,
  `price_${alnum(24)}`,
  `charge ch_${alnum(24)}`,
  `event evt_${alnum(24)}`,
  `publishable key pk_live_${alnum(24)} (public by design)`,
])
  neg('secret', 'Stripe object ids (not keys)', t);
for (const t of [
  `channel C0${alnum(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
  `user U0${alnum(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
  `node_id MDQ6VXNlcj${alnum(10)}`,
  `workflow run ${digits(10)}`,
])
  neg('secret', 'Slack and GitHub ids', t);
for (const t of [
  `subnet mask 255.255.${pick(['255.0', '240.0', '0.0'])}`,
  `SNMP ${int(1, 2)}.3.6.1.2.1.${int(1, 9)}`,
  `version 4.${int(0, 9)}.${int(0, 9)}.${int(0, 9)} released`,
])
  neg('ip', 'netmask and OIDs', t);
for (const t of [
  `git clone git@gitlab.com:team/app.git`,
  `ssh://git@bitbucket.org/acme/repo.git`,
  `font-size: 12px; @media screen`,
  `@param {string} name`,
  `npm i @types/${alnum(6, 'abcdefghijklmnopqrstuvwxyz')}`,
  `${alnum(5, 'abcdefghijklmnopqrstuvwxyz')}@${int(1, 9)}.${int(0, 9)}.${int(0, 9)}`,
])
  neg('email', 'scp-style remotes and @ in code', t);

// ---- positives in many formats
const phones = [
  ['+44 20 7946 0958', 'en'],
  ['+49 30 901820', 'de'],
  ['+33 1 42 68 53 00', 'fr'],
  ['+34 912 34 56 78', 'es'],
  ['+39 06 6982 0000', 'it'],
  ['+81 3-1234-5678', 'ja'],
  ['+86 10 6552 9988', 'zh'],
  ['+7 495 123-45-67', 'ru'],
  ['+91 98765 43210', 'hi'],
  ['+55 11 91234-5678', 'pt'],
  ['+1 (415) 555-0132', 'en'],
  ['+61 2 9374 4000', 'en'],
  ['+31 20 624 1111', 'nl'],
  ['+48 22 123 45 67', 'pl'],
  ['+90 212 555 12 34', 'tr'],
  ['+82 2-312-3456', 'ko'],
  ['0044 20 7946 0958', 'en'],
  ['+353 1 234 5678', 'en'],
  ['+46 8 123 456 78', 'sv'],
  ['+971 50 123 4567', 'ar'],
];
const phoneLead = ['Call me at', 'Ruf mich an unter', 'Appelez-moi au', 'Llámame al', 'Tel.', 'Mobile:', 'WhatsApp', '電話', '联系电话', 'Телефон:'];
for (const [i, [p, l]] of phones.entries()) pos('phone', 'phone', p, `${phoneLead[i % phoneLead.length]} ${p} please`, l);
const cardPrefixes = ['4', '51', '55', '2221', '34', '37', '6011', '65', '3528', '36'];
for (let i = 0; i < 16; i++) {
  const pre = cardPrefixes[i % cardPrefixes.length];
  const len = pre === '34' || pre === '37' ? 15 : pre === '36' ? 14 : 16;
  const n = luhnComplete(pre + digits(len - pre.length - 1));
  const v = pick([n, group4(n), group4(n, '-')]);
  pos('card', 'card', v, `${pick(['Card number', 'Kartennummer', 'Numéro de carte', 'Tarjeta'])}: ${v}`);
}
const ibanSpecs = [
  ['DE', 18],
  ['FR', 23],
  ['GB', 18],
  ['ES', 20],
  ['IT', 23],
  ['NL', 14],
  ['BE', 12],
  ['CH', 17],
  ['AT', 16],
  ['PL', 24],
];
for (const [cc, n] of ibanSpecs) {
  let bban = digits(n);
  if (cc === 'GB') bban = 'NWBK' + digits(14);
  if (cc === 'NL') bban = 'ABNA' + digits(10);
  if (cc === 'IT') bban = 'X' + digits(22);
  if (cc === 'FR') bban = digits(21) + digits(2);
  const iban = ibanOf(cc, bban);
  const v = pick([iban, group4(iban)]);
  pos('iban', 'iban', v, `IBAN: ${v}`);
}
for (const e of [
  'jane.doe@acme-corp.com',
  'müller@beispiel.de',
  "o'brien+news@mail.ie",
  'ZHANG.WEI@EXAMPLE-CN.COM',
  'a_b-c@sub.domain.co.uk',
  'kontakt@firma.pl',
])
  pos('email', 'email', e, `Contact: ${e}.`);
for (const ip of ['203.0.113.42', '198.51.100.7:8443', '2001:db8::1', 'fe80::1ff:fe23:4567:890a', '192.168.10.254']) pos('ip', 'ip', ip, `Client IP ${ip}.`);
for (const [kind, v] of [
  ['openai_key', 'sk-proj-' + alnum(48)],
  ['anthropic_key', 'sk-ant-api03-' + alnum(93, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') + 'AA'],
  ['github_token', 'ghp_' + alnum(36)],
  ['aws_access_key', 'AKIA' + alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')],
  ['slack_token', 'xoxb-' + digits(12) + '-' + digits(13) + '-' + alnum(24)],
  ['stripe_key', 'sk_live_' + alnum(24)],
  ['api_key', 'glpat-' + alnum(20)],
  ['api_key', 'npm_' + alnum(36)],
])
  pos('secret', kind, v, `${pick(['key', 'token', 'here you go'])}: ${v}`);
writeFileSync(new URL('../../bench/corpora/pii/tune-defpii.jsonl', import.meta.url), `${out.map((o) => JSON.stringify(o)).join('\n')}\n`);
console.error(out.filter((o) => o.label === 'negative').length, 'negatives', out.filter((o) => o.label === 'positive').length, 'positives');
