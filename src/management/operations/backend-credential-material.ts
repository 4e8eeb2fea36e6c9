import { createPrivateKey, X509Certificate } from 'node:crypto';
import { BACKEND_SECRET_FIELDS, type BackendCredential, type BackendCredentialVariant, type CertificateSummary, GatehouseError } from '../../core/index.js';
import type { OperationContext } from '../operation.js';

/** The stored (public) part of a backend credential: everything a read shows. */
export type StoredBackendCredential = Omit<BackendCredential, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** The sealed part: the secret fields of its type. */
export type SecretMaterial = Partial<Record<(typeof BACKEND_SECRET_FIELDS)[number], string>>;

const SECRET = new Set<string>(BACKEND_SECRET_FIELDS);

/** Splits a validated credential into what is stored in the clear and what is sealed. */
export function split(value: BackendCredentialVariant): { settings: Record<string, unknown>; material: SecretMaterial } {
  const settings: Record<string, unknown> = {};
  const material: SecretMaterial = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (SECRET.has(k)) material[k as keyof SecretMaterial] = v as string;
    else settings[k] = v;
  }
  return { settings, material };
}

function invalid(field: string, message: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `${field}: ${message}`, [{ path: field, message }]);
}

/** Every certificate in a PEM text, in order. */
export function pemCertificates(pem: string, field: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw invalid(field, 'holds no PEM certificate');
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    throw invalid(field, 'holds a certificate that does not parse');
  }
}

function summary(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    subjectAltName: cert.subjectAltName ?? null,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    fingerprint256: cert.fingerprint256,
  };
}

/** Checks an mtls credential's chain, key and CA bundle, and summarizes its leaf certificate. */
function checkMtls(value: Extract<BackendCredentialVariant, { type: 'mtls' }>): CertificateSummary {
  const [leaf] = pemCertificates(value.certificate, 'certificate');
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey({ key: value.privateKey, format: 'pem', ...(value.passphrase ? { passphrase: value.passphrase } : {}) });
  } catch {
    // The parser's own message may quote the key; say only what is wrong.
    throw invalid('privateKey', 'is not a PEM private key, or the passphrase does not open it');
  }
  if (!leaf!.checkPrivateKey(key)) throw invalid('privateKey', 'does not belong to the certificate');
  if (value.caBundle !== undefined) pemCertificates(value.caBundle, 'caBundle');
  return summary(leaf!);
}

/** The public record of a credential: its settings, fingerprint, certificate and who set the material when. */
export function describe(ctx: OperationContext, value: BackendCredentialVariant, rotated: { at: string; by: string }): StoredBackendCredential {
  const { settings, material } = split(value);
  const certificate = value.type === 'mtls' ? checkMtls(value) : null;
  return {
    ...(settings as Pick<StoredBackendCredential, 'name' | 'description' | 'type'>),
    fingerprint: ctx.secrets.fingerprint(JSON.stringify(material)),
    certificate,
    expiresAt: certificate?.notAfter ?? null,
    rotatedAt: rotated.at,
    rotatedBy: rotated.by,
  };
}
