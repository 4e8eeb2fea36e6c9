import { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { GatehouseError, type MtlsSettings } from '../../core/index.js';
import type { CompiledMtls, CompiledProfile, Snapshot } from '../snapshot/types.js';

const PARSED = new WeakMap<Socket, X509Certificate | null>();
/**
 * The certificates a caller sent after its leaf (intermediate CAs), keyed by the leaf: callers of
 * `identify` hand over one certificate, and the chain travels with it without widening that API.
 */
const PRESENTED_CHAIN = new WeakMap<X509Certificate, X509Certificate[]>();
/** How many intermediates a chain may have before the trusted CA: enough for real PKIs, bounded work per connection. */
const MAX_INTERMEDIATES = 4;

/** The client certificate a TLS connection presented (parsed once per connection), or null (plain HTTP, or none sent). */
export function clientCertificateOf(socket: Socket): X509Certificate | null {
  if ((socket as TLSSocket).encrypted !== true) return null;
  let cert = PARSED.get(socket);
  if (cert === undefined) {
    const peer = (socket as TLSSocket).getPeerCertificate(true);
    cert = peer.raw ? new X509Certificate(peer.raw) : null;
    if (cert) {
      const chain: X509Certificate[] = [];
      const seen = new Set<unknown>([peer]);
      for (let next = peer.issuerCertificate; next?.raw && !seen.has(next) && chain.length < MAX_INTERMEDIATES; next = next.issuerCertificate) {
        seen.add(next);
        chain.push(new X509Certificate(next.raw));
      }
      PRESENTED_CHAIN.set(cert, chain);
    }
    PARSED.set(socket, cert);
  }
  return cert;
}

const validAt = (cert: X509Certificate, now: number): boolean => now >= Date.parse(cert.validFrom) && now <= Date.parse(cert.validTo);
const issues = (issuer: X509Certificate, cert: X509Certificate): boolean => cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/**
 * Whether `cert` leads to one of `cas`: directly, or through the intermediates the caller sent,
 * each of them a CA certificate, valid now, and signed by the next.
 */
function chainsToTrusted(cert: X509Certificate, cas: readonly X509Certificate[], now: number): boolean {
  const intermediates = PRESENTED_CHAIN.get(cert) ?? [];
  let current = cert;
  for (let depth = 0; depth <= MAX_INTERMEDIATES; depth++) {
    if (cas.some((ca) => issues(ca, current))) return true;
    const up = intermediates.find((i) => i !== current && i.ca && validAt(i, now) && issues(i, current));
    if (!up) return false;
    current = up;
  }
  return false;
}

/** Compiles a profile's mtls settings; null when its CA bundle holds no certificate that parses (the profile then matches nobody). */
export function compileMtls(m: MtlsSettings): CompiledMtls | null {
  const blocks = m.caCertificates.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const cas: X509Certificate[] = [];
  for (const b of blocks) {
    try {
      cas.push(new X509Certificate(b));
    } catch {
      // A certificate that does not parse trusts nothing.
    }
  }
  if (cas.length === 0) return null;
  return {
    cas,
    fingerprints: new Map(m.fingerprints.map((f) => [f.sha256, f.expiresAt ? Date.parse(f.expiresAt) : Number.POSITIVE_INFINITY])),
    subjects: m.subjects,
  };
}

/** The names a certificate can be matched by: its fingerprint, full subject, CN and SAN entries. */
export function certificateNames(cert: X509Certificate): { fingerprint: string; subjects: string[] } {
  const lines = cert.subject.split('\n');
  const subjects = [lines.join(', '), ...lines.filter((l) => l.startsWith('CN='))];
  for (const san of cert.subjectAltName?.split(', ') ?? []) subjects.push(san);
  return { fingerprint: cert.fingerprint256.replace(/:/g, ''), subjects };
}

function invalid(why: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_CLIENT_CERTIFICATE_INVALID', `The client certificate ${why}.`);
}

/**
 * The mtls profile a client certificate belongs to: matched by fingerprint, else by subject or SAN
 * (restricted to `profileId` when the caller names one), then checked: issued by one of the
 * profile's CAs (directly or through intermediates the caller sent), within its validity, and
 * its fingerprint entry not expired.
 */
export function authenticateCertificate(snapshot: Snapshot, cert: X509Certificate, now: number, profileId: string | undefined): CompiledProfile {
  const names = certificateNames(cert);
  let candidates = snapshot.certificates.byFingerprint.get(names.fingerprint) ?? [];
  if (candidates.length === 0) candidates = names.subjects.flatMap((s) => snapshot.certificates.bySubject.get(s) ?? []);
  if (profileId !== undefined) candidates = candidates.filter((p) => p.profile.id === profileId);
  if (candidates.length === 0) throw invalid('is not one any profile recognizes');
  const p = candidates[0]!;
  const mtls = p.mtls!;
  if (!chainsToTrusted(cert, mtls.cas, now)) throw invalid('is not issued by a CA its profile trusts');
  if (!validAt(cert, now)) throw invalid('has expired or is not yet valid');
  const until = mtls.fingerprints.get(names.fingerprint);
  if (until !== undefined && now > until) throw invalid('has been rotated out of its profile');
  return p;
}
