import { X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';

/** The listener's certificate and key files. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Reads the certificate chain and key (PEM). */
export function readTlsFiles(files: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}

// Polled rather than fs.watch'ed: certificate renewers and Kubernetes replace the files by rename or symlink swap, which watchers lose.
const POLL_MS = 1_000;

/**
 * Swaps the servers' certificate when either file changes, for new connections; open ones keep
 * theirs. A half-written or mismatched pair is skipped (and reported) until the next change.
 */
export function reloadOnChange(files: TlsFiles, servers: readonly HttpsServer[], onError: (err: unknown) => void, onReload: () => void): () => void {
  const reload = () => {
    try {
      const { cert, key } = readTlsFiles(files);
      for (const s of servers) s.setSecureContext({ cert, key });
      onReload();
    } catch (err) {
      onError(err);
    }
  };
  for (const f of [files.certFile, files.keyFile]) watchFile(f, { interval: POLL_MS, persistent: false }, reload);
  return () => {
    for (const f of [files.certFile, files.keyFile]) unwatchFile(f, reload);
  };
}

/** When the listener's certificate (as the file now holds it) expires, for the expiry metric; nothing while the file does not parse. */
export function listenerExpiry(files: TlsFiles): Array<{ kind: string; name: string; expiresAt: number }> {
  try {
    const cert = new X509Certificate(readFileSync(files.certFile));
    return [{ kind: 'listener', name: cert.subject.replace(/\n/g, ', '), expiresAt: Date.parse(cert.validTo) }];
  } catch {
    return [];
  }
}
