import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** AES-256-GCM encryption of secrets at rest; the master key never leaves the process. */
export class SecretBox {
  readonly #key: Buffer;
  readonly #fingerprintKey: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.#key = key;
    this.#fingerprintKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'gatehouse secret fingerprint', 32));
  }

  /**
   * A short, stable identifier of a secret for reads and audit entries: keyed (HMAC under a key
   * derived from the master key) so a weak password cannot be guessed offline from it.
   */
  fingerprint(plaintext: string): string {
    return `hmac-sha256:${createHmac('sha256', this.#fingerprintKey).update(plaintext, 'utf8').digest('hex').slice(0, 32)}`;
  }

  /** A key for one purpose (an HMAC key every node derives alike), never the master key itself. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `gatehouse ${purpose}`, 32));
  }

  /** Encrypts to `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Decrypts what `seal` produced; throws if it was tampered with or sealed under another key. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
