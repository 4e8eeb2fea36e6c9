import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiScanner } from './scanner.js';
import { wrappedRuns } from './wrapped-text.js';

const scanner = createPiiScanner({ types: ['email', 'phone', 'card', 'iban', 'ip'] });
const b64 = (t: string) => Buffer.from(t).toString('base64');

/** Scans as the gateway does: with the raw body beside the value (the detectors a body cannot match are skipped). */
function scan<T>(value: T) {
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  return scanner.scan(typeof value === 'string' ? value : (JSON.parse(raw) as T), true, raw);
}

describe('text wrapped in base64 or hex is read as what it spells', () => {
  it('redacts an MCP resource’s text blob inside its base64: the blob still decodes, to the redacted text', () => {
    const text = 'Contact Ada at ada@example.com or +44 20 7946 0958; card 4111 1111 1111 1111.';
    const result = { contents: [{ uri: 'file:///crm/ada.txt', mimeType: 'text/plain', blob: b64(text) }] };
    const { counts, value } = scan(result);
    expect(counts).toEqual({ email: 1, phone: 1, card: 1 });
    expect(Buffer.from(value.contents[0]!.blob, 'base64').toString()).toBe('Contact Ada at [EMAIL] or [PHONE]; card [CARD].');
  });

  it('reads base64 broken into lines, base64url, hex and runs inside a sentence, and writes each back as it was written', () => {
    const mime = b64(`${'Minutes of the meeting. '.repeat(6)}Reach Ada at ada@example.com.`).replace(/(.{76})/g, '$1\n');
    const out = scan(mime).value;
    expect(Buffer.from(out, 'base64').toString()).toContain('Reach Ada at [EMAIL].');
    expect(out.split('\n')[0]).toHaveLength(76);
    const url = Buffer.from('owner=ada@example.com?').toString('base64url');
    expect(Buffer.from(scan(`id ${url} end`).value.slice(3, -4), 'base64url').toString()).toBe('owner=[EMAIL]?');
    const hex = Buffer.from('ada@example.com').toString('hex');
    expect(scan(`value ${hex} end`).value).toBe(`value ${Buffer.from('[EMAIL]').toString('hex')} end`);
    expect(scan(`value ${hex.toUpperCase()} end`).value).toBe(`value ${Buffer.from('[EMAIL]').toString('hex').toUpperCase()} end`);
  });

  it('leaves alone what does not spell text: random bytes, hashes, ids, identifiers, words', () => {
    const quiet = [
      randomBytes(600).toString('base64'),
      randomBytes(48).toString('base64url'),
      createHash('sha256').update('x').digest('hex'),
      createHash('sha1').update('y').digest('base64'),
      randomUUID(),
      'AbstractSingletonProxyFactoryBean',
      'Tr0ub4dor&3 is not a passphrase of mine',
      'supercalifragilisticexpialidocious',
    ];
    for (const text of quiet) {
      expect(wrappedRuns(text, text.length), text).toEqual([]);
      expect(scan(text).value).toBe(text);
    }
  });
});
