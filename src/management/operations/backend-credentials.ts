import { z } from 'zod';
import {
  BACKEND_SECRET_FIELDS,
  BackendCredential,
  BackendCredentialInput,
  BackendCredentialPatch,
  BackendCredentialVariant,
  Id,
  newId,
} from '../../core/index.js';
import { deleteSecret, getSecret, putSecret } from '../../store/repositories/secrets.js';
import type { StoredResource } from '../../store/repositories/resources.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { parseOrThrow } from '../validation.js';
import { describe, type SecretMaterial, type StoredBackendCredential, split } from './backend-credential-material.js';
import { crudOperations, mustGet } from './crud.js';
import { refuseInUse } from './references.js';
import { repos } from './repos.js';

/** The owner type of sealed backend-credential material in the secrets table. */
export const BACKEND_CREDENTIAL_SECRETS = 'backend-credentials';

const NOUN = 'backend credential';

/** The secret fields each type requires: what an exported file names as `${ENV_VAR}` references. */
const REQUIRED_SECRETS = new Map<string, readonly string[]>(
  BackendCredentialVariant.options.map((variant) => [
    variant.shape.type.value,
    BACKEND_SECRET_FIELDS.filter((f) => f in variant.shape && !(variant.shape as Record<string, z.ZodType>)[f]!.safeParse(undefined).success),
  ]),
);

async function seal(ctx: OperationContext, id: string, material: SecretMaterial): Promise<void> {
  await putSecret(ctx.db, BACKEND_CREDENTIAL_SECRETS, id, ctx.secrets.seal(JSON.stringify(material)));
}

export async function openMaterial(ctx: Pick<OperationContext, 'db' | 'secrets'>, id: string): Promise<SecretMaterial> {
  const sealed = await getSecret(ctx.db, BACKEND_CREDENTIAL_SECRETS, id);
  return sealed === undefined ? {} : (JSON.parse(ctx.secrets.open(sealed)) as SecretMaterial);
}

/** The full credential (settings and material) a patch applies to. */
function whole(current: StoredResource<StoredBackendCredential>, material: SecretMaterial): Record<string, unknown> {
  const {
    id: _i,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    fingerprint: _f,
    certificate: _ce,
    expiresAt: _e,
    rotatedAt: _ra,
    rotatedBy: _rb,
    ...settings
  } = current;
  return { ...settings, ...material };
}

const [list, get] = crudOperations({
  resource: 'backend-credentials',
  noun: NOUN,
  idPrefix: 'bcr',
  basePath: '/backend-credentials',
  create: z.never(),
  patch: z.strictObject({}),
  output: BackendCredential,
  keys: () => ({ key: '' }),
});

export const backendCredentialOperations = [
  list!,
  get!,
  defineOperation({
    name: 'backend-credentials.create',
    resource: 'backend-credentials',
    action: 'create',
    summary: 'Create a backend credential (how the gateway authenticates to upstreams); its secret material is sealed and never returned',
    permission: 'write',
    input: BackendCredentialInput,
    output: BackendCredential,
    http: { method: 'POST', path: '/backend-credentials', status: 201 },
    declarative: {
      identity: ['name'],
      secretFields: BACKEND_SECRET_FIELDS,
      secretsOf: (input) => REQUIRED_SECRETS.get(String(input.type)) ?? [],
      computedFields: ['fingerprint', 'certificate', 'expiresAt', 'rotatedAt', 'rotatedBy'],
    },
    handler: async (ctx, input) => {
      const id = newId('bcr');
      const value = describe(ctx, input, { at: ctx.now, by: ctx.principal.name });
      const created = await repos.backendCredentials.insert(ctx.db, id, value, { key: input.name }, ctx.now);
      await seal(ctx, id, split(input).material);
      Object.assign(ctx.audit, { resourceId: id, after: created });
      return created;
    },
  }),
  defineOperation({
    name: 'backend-credentials.update',
    resource: 'backend-credentials',
    action: 'update',
    summary: 'Change or rotate a backend credential (only the fields given change; new secret material takes effect on the next call)',
    permission: 'write',
    input: BackendCredentialPatch.extend({ id: Id }),
    output: BackendCredential,
    http: { method: 'PATCH', path: '/backend-credentials/{id}' },
    handler: async (ctx, input) => {
      const { id, ...patch } = input;
      const current = await mustGet(repos.backendCredentials, ctx, id, NOUN);
      const merged: Record<string, unknown> = whole(current, await openMaterial(ctx, id));
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete merged[k];
        else if (v !== undefined) merged[k] = v;
      }
      const next = parseOrThrow(BackendCredentialVariant, merged);
      const { material } = split(next);
      const rotated = BACKEND_SECRET_FIELDS.some((f) => patch[f] !== undefined);
      const value = describe(ctx, next, rotated ? { at: ctx.now, by: ctx.principal.name } : { at: current.rotatedAt, by: current.rotatedBy });
      const updated = await repos.backendCredentials.update(ctx.db, current, value, { key: current.name }, ctx.now);
      if (rotated) await seal(ctx, id, material);
      // The diff shows a rotation as a new fingerprint and rotatedAt; the material itself is never in it.
      Object.assign(ctx.audit, { resourceId: id, before: current, after: updated });
      return updated;
    },
  }),
  defineOperation({
    name: 'backend-credentials.delete',
    resource: 'backend-credentials',
    action: 'delete',
    summary: 'Delete a backend credential no proxy uses',
    permission: 'write',
    destructive: true,
    input: z.strictObject({ id: Id }),
    output: z.object({ deleted: z.literal(true), id: Id }),
    http: { method: 'DELETE', path: '/backend-credentials/{id}' },
    handler: async (ctx, input) => {
      const current = await mustGet(repos.backendCredentials, ctx, input.id, NOUN);
      refuseInUse('proxies', (await repos.proxies.all(ctx.db)).filter((p) => p.backendCredentialId === current.id).length);
      const usesIt = (s: { credentialId?: string | undefined; stdio?: { secretEnv: Record<string, { credentialId: string }> } | undefined }) =>
        s.credentialId === current.id || Object.values(s.stdio?.secretEnv ?? {}).some((ref) => ref.credentialId === current.id);
      refuseInUse('mcp-servers', (await repos.mcpServers.all(ctx.db)).filter(usesIt).length);
      await deleteSecret(ctx.db, BACKEND_CREDENTIAL_SECRETS, current.id);
      await repos.backendCredentials.delete(ctx.db, current.id);
      Object.assign(ctx.audit, { resourceId: current.id, before: current });
      return { deleted: true as const, id: current.id };
    },
  }),
] as const;
