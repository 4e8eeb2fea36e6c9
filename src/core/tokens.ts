import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'ghk_';

/** A new consumer token: 32 random bytes, prefixed so leaked tokens are recognisable by scanners. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The lookup hash stored instead of the token; tokens are high-entropy, so a fast hash is enough. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The part of a token safe to show after issue, to tell credentials apart. */
export function tokenPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}
