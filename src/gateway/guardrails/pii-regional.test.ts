import { describe, expect, it } from 'vitest';
import { withLuhn } from '../../../test/support/check-digits.js';
import { detectorsFor, type PiiCategory, scanText } from './pii.js';

// Without a default country, as a default-configured detect_pii node scans.
const detectors = detectorsFor({ types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'] as PiiCategory[] });

/** What the scan finds in a text: [kind, the matched substring]. */
function found(text: string): [string, string][] {
  return scanText(text, detectors).map((m) => [m.kind, text.slice(m.start, m.end)]);
}

const grouped = (digits: string, sep: string) => digits.match(/.{1,4}/g)!.join(sep);

describe('cards of regional networks and in form-encoded bodies', () => {
  it('finds Elo, InstaPayment, Uzcard, Humo and 19-digit Mir cards', () => {
    for (const body of ['636368000000001', '636297123456789', '637095000000000', '860031295000000', '986012345678901', '220012345678901234']) {
      const card = grouped(withLuhn(body), ' ');
      expect(found(`Karta: ${card}, ważna do 03/30`)).toEqual([['card', card]]);
    }
  });

  it('reads a + between groups as the space a form encoding made of it, not an arithmetic sum', () => {
    const card = grouped(withLuhn('411111111111111'), '+');
    expect(found(`amount=1999&card_number=${card}&cvc=123`)).toEqual([['card', card]]);
    expect(found('sum 1234+5678+9012+3456 = 19380')).toEqual([]);
  });

  it('leaves a Luhn-valid number of an unissued range alone', () => {
    expect(found(`value ${grouped(withLuhn('710000000000000'), ' ')}`)).toEqual([]);
  });
});

describe('national phone numbers labelled or shaped as their country writes them', () => {
  it('takes a label written without a space before it (Chinese, Japanese) or after Arabic’s al-', () => {
    expect(found('收货人手机：139 1234 5678')).toEqual([['phone', '139 1234 5678']]);
    expect(found('手机号：13912345678')).toEqual([['phone', '13912345678']]);
    expect(found('رقم الجوال: 0551234567')).toEqual([['phone', '0551234567']]);
  });

  it('takes a number offered as a way to reach someone, unless its own word names it an identifier', () => {
    expect(found('Proszę o kontakt pod numerem 601 234 567.')).toEqual([['phone', '601 234 567']]);
    expect(found('Contacto do cliente: 934 567 890')).toEqual([['phone', '934 567 890']]);
    expect(found('Contact ID: 12345678')).toEqual([]);
  });

  it('reads Chinese mobiles in their 3-4-4 groups and Russian numbers after the trunk 8', () => {
    expect(found('请拨打 139-1234-5678')).toEqual([['phone', '139-1234-5678']]);
    expect(found('Позвоните 8 (495) 123-45-67')).toEqual([['phone', '8 (495) 123-45-67']]);
    expect(found('Население 512 345 678 человек')).toEqual([]);
  });

  it('leaves postal codes, device and product identifiers alone', () => {
    expect(found('CEP 04538-133, São Paulo')).toEqual([]);
    expect(found('〒060-0001 札幌市')).toEqual([]);
    expect(found('Código postal 28013-123')).toEqual([]);
    expect(found('IMEI 35-209900-176148-1')).toEqual([]);
    expect(found('Product code 040-1234-5678')).toEqual([]);
    expect(found('Артикул 8 916 123-45-67')).toEqual([]);
    expect(found('Area code 020 7946 0958')).toEqual([['phone', '020 7946 0958']]);
  });
});

describe('provider keys and connection strings of other shapes', () => {
  // Built at run time: the source holds no key-shaped literal.
  const id = `${'AKIA'}2SAXA8GT2K6F2VPQ`;

  it('finds an AWS key id with characters outside base32, not AWS’s documentation example', () => {
    expect(found(`aws_access_key_id = ${id}`)).toEqual([['aws_access_key', id]]);
    expect(found(`aws_access_key_id = ${'AKIA'}IOSFODNN7EXAMPLE`)).toEqual([]);
  });

  it('finds the password of a URL with an empty user (Redis), not a port', () => {
    expect(found('REDIS_URL=redis://:p4ss-R3dis-77@cache-01:6379/0')).toEqual([['url_password', 'p4ss-R3dis-77']]);
    expect(found('redis://:6379@host')).toEqual([]);
  });

  it('finds Hugging Face tokens with digits and Sentry org tokens of any body', () => {
    const hf = `${'hf_'}UzDzV8fUkkibjL5DZPjN0MEQ7wjJJibaZU`;
    const sentry = `${'sntrys_'}LpByQxCGClbaNFDpCWNX0D1lZEzgeiwBxfZCGGQccOif7Uu`;
    expect(found(`token ${hf} (rotate it)`)).toEqual([['huggingface_token', hf]]);
    expect(found(`token ${sentry} (rotate it)`)).toEqual([['sentry_token', sentry]]);
  });
});

describe('four dotted numbers that are no address', () => {
  it('leaves OIDs, versions in file names, volumes and prices alone; keeps addresses beside them', () => {
    expect(found('id-ce 2.5.29.17 subjectAltName')).toEqual([]);
    expect(found('attribute 2.5.4.10 organizationName')).toEqual([]);
    expect(found('download release-1.4.2.9.tar.gz')).toEqual([]);
    expect(found('installed firmware_1.2.3.4 today')).toEqual([]);
    expect(found('Jahrgang 1.2.3.4 Tabelle')).toEqual([]);
    expect(found('Preis: € 1.250.000.50')).toEqual([]);
    expect(found('Login from 2.5.10.1 failed, host-10.0.0.1 up')).toEqual([
      ['ipv4', '2.5.10.1'],
      ['ipv4', '10.0.0.1'],
    ]);
  });
});

describe('national numbers and the look-alikes around them', () => {
  it('reads a trunk 0 written apart from a bracketed area code, as Turkey writes it, and a number labelled GSM', () => {
    expect(found('Müşteri hizmetleri: 0 (212) 345 67 89, GSM: +90 532 123 45 67')).toEqual([
      ['phone', '0 (212) 345 67 89'],
      ['phone', '+90 532 123 45 67'],
    ]);
  });

  it('reads a number whose label names it an identifier through a verb that says "is"', () => {
    expect(found('Ihre Bestellnummer lautet 030 4455 6677.')).toEqual([]);
    expect(found('Ihre Telefonnummer lautet 030 4455 6677.')).toEqual([['phone', '030 4455 6677']]);
    expect(found('Your order number is 030 4455 6677.')).toEqual([]);
    expect(found('My phone number is 030 4455 6677; the number is 030 4455 6678.')).toEqual([
      ['phone', '030 4455 6677'],
      ['phone', '030 4455 6678'],
    ]);
  });

  it('reads opening hours as times, not a number', () => {
    expect(found('Öffnungszeiten 08.00-12.00 und 13.30-17.00 Uhr')).toEqual([]);
  });
});
