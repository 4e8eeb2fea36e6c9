import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectorsFor, type PiiCategory, scanText } from './pii.js';

const ALL: PiiCategory[] = ['email', 'phone', 'card', 'iban', 'ip', 'national_id', 'secret'];
const detectors = detectorsFor({ types: ALL, defaultCountry: 'US' });

/** What the scan finds in a text: [kind, the matched substring]. */
function found(text: string): [string, string][] {
  return scanText(text, detectors).map((m) => [m.kind, text.slice(m.start, m.end)]);
}

// Fake values in each provider's published format (never real keys), built at run time so the
// source holds no key-shaped literal.
const r = (n: number, chars = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8') => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const hex = (n: number) => r(n, '0a1b2c3d4e5f6789');

describe('secrets by provider format', () => {
  const keys: [string, string][] = [
    ['openai_key', `sk-proj-${r(74)}T3BlbkFJ${r(74)}`],
    ['openai_key', `sk-${r(20)}T3BlbkFJ${r(20)}`],
    ['anthropic_key', `sk-ant-api03-${r(93)}AA`],
    ['huggingface_token', `hf_${r(34, 'abcdEFGHijklMNOP')}`],
    ['npm_token', `npm_${r(36)}`],
    ['sendgrid_key', `SG.${r(22)}.${r(43)}`],
    ['slack_webhook', `https://hooks.slack.com/services/T0${r(7, 'ABC123')}/B0${r(7, 'XYZ789')}/${r(24)}`],
    ['stripe_key', `sk_test_${r(24)}`],
    ['stripe_webhook_secret', `whsec_${r(32)}`],
    ['aws_access_key', `AKIA${r(16, 'QWERTY234567')}`],
    ['github_token', `ghp_${r(36)}`],
    ['gitlab_token', `glpat-${r(20)}`],
    ['twilio_key', `SK${hex(32)}`],
    ['shopify_token', `shpat_${hex(32)}`],
    ['digitalocean_token', `dop_v1_${hex(64)}`],
    ['telegram_bot_token', `123456789:AA${r(33)}`],
    ['mailchimp_key', `${hex(32)}-us14`],
    ['age_secret_key', `AGE-SECRET-KEY-1${r(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`],
  ];
  for (const [kind, key] of keys) {
    it(`finds ${kind} in prose, in JSON and before a full stop`, () => {
      expect(found(`Here is my key ${key} please debug`)).toEqual([[kind, key]]);
      expect(found(JSON.stringify({ note: key }))).toEqual([[kind, key]]);
      expect(found(`Use ${key}.`)).toEqual([[kind, key]]);
    });
  }

  it('stays quiet on placeholders, prefixes alone, hashes and ids', () => {
    for (const text of [
      'The key looks like sk-…REDACTED in the docs',
      'Use sk-proj-XXXXXXXX as a placeholder',
      'whsec_ prefix marks webhook secrets',
      'https://hooks.slack.com/services/ is the base URL',
      'The npm_config_cache variable and hf_hub_download()',
      `commit ${hex(40)} merged`,
      `sha256:${hex(64)}`,
      'Request id 3f2b8c1e-9a4d-4e6f-b1c2-7d8e9f0a1b2c',
      'sk-learn and the desk-lamp tasks',
    ])
      expect(found(text), text).toEqual([]);
  });
});

describe('numbers, addresses and e-mails', () => {
  it('finds phones with the 00 international prefix and in national formats, not dates', () => {
    expect(found('Kontakt: 0049 1512 3456789, danke')).toEqual([['phone', '0049 1512 3456789']]);
    expect(found('Call +33 6 12 34 56 78 now')).toEqual([['phone', '+33 6 12 34 56 78']]);
    expect(found('Call (201) 555-0123 today')).toEqual([['phone', '(201) 555-0123']]);
    expect(found('Date 2015-05-10 12:32:53 and 10.05.2024')).toEqual([]);
  });

  it('finds IBANs in upper and lower case, solid and grouped, and refuses a wrong check digit', () => {
    expect(found('IBAN DE89 3704 0044 0532 0130 00 bitte')).toEqual([['iban', 'DE89 3704 0044 0532 0130 00']]);
    expect(found('iban de89370400440532013000.')).toEqual([['iban', 'de89370400440532013000']]);
    expect(found('iban gb82 west 1234 5698 7654 32')).toEqual([['iban', 'gb82 west 1234 5698 7654 32']]);
    expect(found('ref DE88370400440532013000')).toEqual([]);
  });

  it('finds cards of many networks and lengths, with spaces or dashes, and not other numbers', () => {
    for (const card of [
      '4111 1111 1111 1111', // Visa
      '5555-5555-5555-4444', // Mastercard
      '2223 0031 2200 3222', // Mastercard 2-series
      '378282246310005', // Amex
      '3530111333300000', // JCB
      '6200000000000005', // UnionPay
      '2200 0000 0000 0004', // Mir
      '6304 0000 0000 0000 0', // Maestro, 17 digits
    ])
      expect(found(`card ${card} ok`), card).toEqual([['card', card]]);
    expect(found('ISBN 978-3-16-148410-0, order 1234567890123456, ts 1700000000000')).toEqual([]);
  });

  it('finds IPv6 before a full stop, compressed, with a port or in brackets; not times or versions', () => {
    expect(found('Client IP fe80::1ff:fe23:4567:890a.')).toEqual([['ipv6', 'fe80::1ff:fe23:4567:890a']]);
    expect(found('from ::ffff:192.0.2.7.')).toEqual([['ipv6', '::ffff:192.0.2.7']]);
    expect(found('Host [::1]:8080 answered')).toEqual([['ipv6', '::1']]);
    expect(found('from 2001:0db8:85a3:0000:0000:8a2e:0370:7334:443 we saw')).toEqual([['ipv6', '2001:0db8:85a3:0000:0000:8a2e:0370:7334']]);
    expect(found('at 10:30:45, version 1.2.3.4.5, section 1.2.3')).toEqual([]);
  });

  it('finds e-mails in any script and with subaddresses, ending where an unspaced script resumes', () => {
    expect(found('Schreib an müller@beispiel.de.')).toEqual([['email', 'müller@beispiel.de']]);
    expect(found('请使用 用户@例子.中国')).toEqual([['email', '用户@例子.中国']]);
    expect(found('連絡先はanna+news@example.co.jpです。')).toEqual([['email', 'anna+news@example.co.jp']]);
    expect(found("mail o'brien@xn--80akhbyknj4f.xn--p1ai")).toEqual([['email', "o'brien@xn--80akhbyknj4f.xn--p1ai"]]);
    expect(found('ping @alice on the forum, or the package @scope/name@1.2.3')).toEqual([]);
  });
});

describe('look-alikes of the defpii set (bench/corpora/pii/tune-defpii.jsonl)', () => {
  const kinds = (text: string) => found(text).map(([kind]) => kind);

  it('reads a Luhn-valid number after a label in many languages as that label says, not as a card', () => {
    for (const label of [
      'Rechnungsnummer',
      'Bestellnummer:',
      'N° de commande',
      'Pedido nº',
      'UPS',
      'IMEI',
      'Sendungsnummer',
      '注文番号',
      'Номер заказа',
      'Rechnungsnr.',
      'Paketnummer',
      'Voucher code',
      'Coupon',
    ])
      expect(kinds(`${label} 4111 1111 1111 1111`)).not.toContain('card');
    // A payment word nearer than the label makes it a card again.
    expect(kinds('Order 55, card 4111 1111 1111 1111')).toContain('card');
    expect(kinds('Karte: 4111-1111-1111-1111')).toContain('card');
  });

  it('reads an IBAN-shaped code after SKU or a serial label as that, an IBAN after IBAN or Konto as one', () => {
    expect(kinds('SKU DE89370400440532013000')).not.toContain('iban');
    expect(kinds('Seriennummer DE89370400440532013000')).not.toContain('iban');
    expect(kinds('IBAN DE89 3704 0044 0532 0130 00')).toContain('iban');
    expect(kinds('Referenz 17, Konto DE89370400440532013000')).toContain('iban');
  });

  it('leaves subnet masks alone but not addresses that start with 255', () => {
    expect(found('subnet mask 255.255.240.0, netmask 255.255.255.0')).toEqual([]);
    expect(kinds('client 255.13.7.9 connected')).toContain('ipv4');
  });

  it('reads an scp-style git remote as a remote, and the address after it as an address', () => {
    expect(found('git clone git@github.com:org/repo.git')).toEqual([]);
    expect(found('Contact: ops@acme-corp.com: on call')).toEqual([['email', 'ops@acme-corp.com']]);
  });

  it('leaves documentation keys with a marker word alone (AWS EXAMPLE keys), not real-shaped ones', () => {
    expect(found('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(found(`aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`)).toEqual([]);
    expect(kinds(`AWS_ACCESS_KEY_ID=AKIA${r(16, 'Q2W3E4R5T6Y7U2I3')}`)).toContain('aws_access_key');
  });
});

describe('the holdout corpus (bench/corpora/pii, written before tuning)', () => {
  it('finds ≥ 95 % of its labelled items with ≤ 2 % false positives on its look-alikes', () => {
    const rows = readFileSync(new URL('../../../bench/corpora/pii/holdout-generated.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { text: string; label: string; category: string; expect: { value: string }[] });
    const categoryOf = (kind: string) => (kind.startsWith('ip') ? 'ip' : ['email', 'phone', 'card', 'iban'].includes(kind) ? kind : 'secret');
    let positives = 0;
    let hits = 0;
    let negatives = 0;
    let falsePositives = 0;
    for (const row of rows) {
      const matches = scanText(row.text, detectors).filter((m) => categoryOf(m.kind) === row.category);
      if (row.label === 'positive') {
        positives++;
        const covered = row.expect.every(({ value }) => {
          const at = row.text.indexOf(value);
          return matches.some((m) => m.start <= at && m.end >= at + value.length);
        });
        if (covered) hits++;
      } else {
        negatives++;
        if (matches.length > 0) falsePositives++;
      }
    }
    expect(positives).toBeGreaterThanOrEqual(400);
    expect(negatives).toBeGreaterThanOrEqual(150);
    expect(hits / positives).toBeGreaterThanOrEqual(0.95);
    expect(falsePositives / negatives).toBeLessThanOrEqual(0.02);
  });
});
