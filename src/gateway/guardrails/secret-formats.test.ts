import { describe, expect, it } from 'vitest';
import { createPiiScanner, type PiiCategory } from './index.js';
import { SECRET_RULES } from './secret-rules/rules.js';
import { compileAllRules } from './secret-rules/scan.js';

const ALL: PiiCategory[] = ['email', 'phone', 'card', 'iban', 'ip', 'secret'];
const scanner = createPiiScanner({ types: ALL });

/** The kinds a scan finds in a text, and the redacted text. */
function scan(text: string): { kinds: string[]; redacted: string } {
  const found = scanner.scan(text, true);
  return { kinds: Object.keys(found.counts).sort(), redacted: found.value };
}

// Fake values in each provider's documented shape (never real keys).
const A = 'Ab3dEf5hIj7lMn9pQr2tUv4xYz6bCd8fGh0jKl';
const HEX = '0123456789abcdef0123456789abcdef';

describe('provider keys found without a secret-looking field name', () => {
  it.each([
    ['openai_key', `sk-proj-${A}_${A}`],
    ['openai_key', `sk-${A}0123456789`],
    ['anthropic_key', `sk-ant-api03-${`${A}-${A}_${A}`.slice(0, 93)}AA`],
    ['huggingface_token', `hf_${'AbcdEfghIjklMnopQrstUvwxYzabCdefGh'}`],
    ['npm_token', `npm_${A.slice(0, 36)}`],
    ['sendgrid_key', `SG.${A.slice(0, 22)}.${A}${A.slice(0, 5)}`],
    ['slack_webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['stripe_key', `sk_test_${A}`],
    ['stripe_webhook_secret', `whsec_${A}`],
    ['databricks_token', `dapi${HEX}`],
    ['digitalocean_token', `dop_v1_${HEX}${HEX}`],
    ['groq_key', `gsk_${A}${A.slice(0, 14)}`],
  ])('%s: %s', (kind, key) => {
    const { kinds, redacted } = scan(`the deploy log printed ${key} before it failed.`);
    expect(kinds).toEqual([kind]);
    expect(redacted).toBe(`the deploy log printed [${kind.toUpperCase()}] before it failed.`);
  });

  it.each([
    'sk-learn is a Python library',
    'see https://hooks.slack.com/ for details',
    'the hf_ prefix marks Hugging Face tokens',
    'npm_config_cache=/tmp/npm',
    `task-${HEX}`,
    'SG.1 is the first stage gate',
  ])('leaves a look-alike alone: %s', (text) => {
    expect(scan(text).kinds).toEqual([]);
  });
});

describe('numbers and addresses written as people write them', () => {
  it('finds a lower-case IBAN, solid and grouped', () => {
    expect(scan('iban: de89370400440532013000').kinds).toEqual(['iban']);
    expect(scan('pay to gb82 west 1234 5698 7654 32 today').kinds).toEqual(['iban']);
  });

  it('finds a number dialled with the 00 international prefix', () => {
    expect(scan('call 0044 20 7946 0958 after nine').kinds).toEqual(['phone']);
    expect(scan('Tel. 0049 30 901820').kinds).toEqual(['phone']);
  });

  it('finds an IPv6 address at the end of a sentence, without the full stop', () => {
    const { kinds, redacted } = scan('The server listens on 2001:db8:85a3::8a2e:370:7334.');
    expect(kinds).toEqual(['ipv6']);
    expect(redacted).toBe('The server listens on [IPV6].');
  });

  it.each([
    ['Mir', '2200 0000 0000 0004'],
    ['Maestro', '6759 6498 2643 8453'],
    ['UnionPay', '6200 0000 0000 0005'],
    ['Diners 16', '3056 9309 0259 0004'],
    ['RuPay', '6080 0000 0000 0000'],
  ])('finds a %s card', (_network, number) => {
    const digits = number.replace(/ /g, '');
    // Only numbers that pass Luhn are cards: check the fixture itself first.
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let x = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    expect(sum % 10).toBe(0);
    expect(scan(`card ${number} exp 12/29`).kinds).toEqual(['card']);
  });

  it('spends one parse budget per body and fails closed past it: 20,000 distinct national numbers are all found', () => {
    const phones = createPiiScanner({ types: ['phone'], defaultCountry: 'US' });
    const body = Array.from({ length: 20_000 }, (_, i) => `(415) 555-${String(i % 10_000).padStart(4, '0')}`);
    // Past the body's parses a candidate is judged by its shape: written like a dialled number, it counts.
    expect(phones.scan(body, false).total).toBe(20_000);
  });

  it('a number after hundreds of junk candidates that spent the parse budget is still found', () => {
    const phones = createPiiScanner({ types: ['phone'], defaultCountry: 'US' });
    const junk = Array.from({ length: 2_000 }, (_, i) => String(7_000_000 + i * 13));
    const body = [...junk, 'call (415) 555-2671 or +44 20 7946 0958'];
    const found = phones.scan(body, true);
    expect(found.value.at(-1)).toBe('call [PHONE] or [PHONE]');
    // Solid runs of digits (ids, amounts) are not redacted unparsed.
    expect(found.value.slice(-20, -1)).toEqual(junk.slice(-19));
  });
});

describe('credentials in connection strings and assignments', () => {
  it('finds the password of a URL’s userinfo for any scheme, and only the password', () => {
    expect(scan('DATABASE_URL=postgres://app:Zq8#wL2!pVx9@db.internal:5432/orders').redacted).toBe(
      'DATABASE_URL=postgres://app:[URL_PASSWORD]@db.internal:5432/orders',
    );
    expect(scan('mongodb+srv://admin:Lm3hxRxF9iIk@cluster0.example.net/shop').kinds).toEqual(['url_password']);
    // A login in a URL is no e-mail address; one in running text still is.
    expect(scan('https://ada@example.com/repo.git').kinds).toEqual([]);
    expect(scan('Write to ada@example.com: user:ada@example.com').kinds).toEqual(['email']);
    expect(scan('redis://default:s3cr3tValue@cache:6379/0').kinds).toEqual(['url_password']);
  });

  it('leaves placeholders, ports and URLs without a password alone', () => {
    for (const text of [
      `postgres://user:$\{DB_PASSWORD}@db/x`,
      'postgres://user:<password>@db/x',
      'mysql://root:****@localhost/app',
      'https://user:password@example.com/',
      'http://localhost:8080@other',
      'https://user@example.com/path',
      'see https://example.com:443/a:b@c',
    ]) {
      expect(scan(text).kinds, text).toEqual([]);
    }
  });

  it('finds Azure account keys and 32-digit hex keys assigned to a secret name', () => {
    const key = `${A}${A}${A.slice(0, 10)}==`;
    expect(scan(`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net`).kinds).toEqual(['api_key']);
    expect(scan('DATADOG_API_KEY=f8af07ed328f5957250ab81fefbe7fef').kinds).toEqual(['api_key']);
  });

  it('leaves a Slack token placeholder alone (real tokens carry digits)', () => {
    expect(scan('SLACK_BOT_TOKEN=xoxb-your-token-here').kinds).toEqual([]);
  });

  it('reads a bracketed IPv6 host, not a slice in code', () => {
    expect(scan('curl http://[::1]:8080/health').kinds).toEqual(['ipv6']);
    expect(scan('Python slicing: a[::2] takes every second element.').kinds).toEqual([]);
  });
});

describe('passwords and keys named in the text’s own language', () => {
  it('finds a password a sentence or a form names, in prose or after a label, and only the value', () => {
    expect(scan('Hallo Tom, das WLAN-Passwort fürs Büro ist Sommer2026!Kiel – bitte nicht ins Wiki schreiben.').redacted).toBe(
      'Hallo Tom, das WLAN-Passwort fürs Büro ist [PASSWORD] – bitte nicht ins Wiki schreiben.',
    );
    expect(scan('usuario: mgarcia / contraseña: Tortuga_Azul_1987').redacted).toBe('usuario: mgarcia / contraseña: [PASSWORD]');
    expect(scan('La password temporanea per il portale è Gx7#pLm2Vq, cambiala al primo accesso.').kinds).toEqual(['password']);
    expect(scan('パスワード：Sakura2026x').kinds).toEqual(['password']);
  });

  it('finds a key after an API-key word of another language when it looks generated', () => {
    const key = `mk_live_${A.slice(0, 24)}`;
    expect(scan(`운영 서버 API 키: ${key} (외부 공유 금지)`).redacted).toBe('운영 서버 API 키: [API_KEY] (외부 공유 금지)');
    expect(scan(`API-Schlüssel: ${A.slice(0, 28)}`).kinds).toEqual(['api_key']);
  });

  it('leaves rules, hints and links about passwords alone', () => {
    for (const text of [
      'Das Passwort ist falsch.',
      'Your password is required to sign in.',
      'Reset your password at https://example.com/reset-password?step=2',
      'Passwort: mindestens acht Zeichen',
      'La contraseña es ********',
      'API-Schlüssel: bitte im Dashboard erzeugen',
    ]) {
      expect(scan(text).kinds, text).toEqual([]);
    }
  });
});

describe('tokens that carry no secret', () => {
  it('leaves an unsecured JWT (alg none, no signature) alone, and finds one whose signature was cut', () => {
    const payload = Buffer.from('{"sub":"user-123"}').toString('base64url');
    const none = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const hs = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    expect(scan(`example: ${none}.${payload}.`).kinds).toEqual([]);
    expect(scan(`token ${hs}.${payload}.`).kinds).toEqual(['jwt']);
  });

  it('leaves publishable keys in a token field alone (Stripe pk_, Mapbox pk.), not their secret counterparts', () => {
    expect(scan(`mapboxgl.accessToken = 'pk.eyJ1IjoiZXhhbXBsZSJ9.${A.slice(0, 22)}';`).kinds).toEqual([]);
    expect(scan(`publishable_token = "pk_live_${A}"`).kinds).toEqual([]);
    expect(scan(`mapboxgl.accessToken = 'sk.eyJ1IjoiZXhhbXBsZSJ9.${A.slice(0, 22)}';`).kinds).toEqual(['api_key']);
  });
});

describe('the secret rule set', () => {
  it('compiles every rule with RE2 (rules compile on first use, so a broken one would only fail the body that reaches it)', () => {
    expect(compileAllRules()).toBe(SECRET_RULES.length);
  });
});
