import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import { type ApprovalRow, liveDecisions } from '../../store/repositories/approvals.js';
import type { ApprovalDecision } from '../guardrails/services.js';
import { type InvalidRowHandler, type OpenSecret, timeOrNull } from './compile-parts.js';
import { type ResourceChange, SnapshotCompiler } from './compiler.js';
import {
  type CredentialRow,
  countCredentials,
  forEachCredentialPage,
  forEachResourcePage,
  loadBackendSecrets,
  loadMcpSecrets,
  type SnapshotInput,
} from './load.js';
import { CREDENTIAL_ACTIVE, CREDENTIAL_ROTATED, type ResolveProfile, type TokenEntry, type TokenIndex, TokenIndexBuilder } from './token-index.js';
import type { CompiledProfile, Snapshot } from './types.js';

export type { InvalidRowHandler, OpenSecret } from './compile-parts.js';

/** A stored credential as the token index holds it, or null when it must not authenticate (revoked). */
function tokenEntry(row: CredentialRow): TokenEntry | null {
  const rotated = row.status === 'rotated';
  if (!rotated && row.status !== 'active') return null;
  return {
    profileId: row.profile_id,
    clientId: row.client_id,
    status: rotated ? CREDENTIAL_ROTATED : CREDENTIAL_ACTIVE,
    expiresAt: timeOrNull(row.expires_at) ?? Number.POSITIVE_INFINITY,
    // A rotated credential without a grace end has none left.
    graceUntil: rotated ? (timeOrNull(row.grace_until) ?? 0) : Number.POSITIVE_INFINITY,
  };
}

/** Adds a page of credential rows to the token index builder; revoked ones are left out. */
function addCredentials(tokens: TokenIndexBuilder<CompiledProfile>, rows: readonly CredentialRow[]): void {
  for (const row of rows) {
    const entry = tokenEntry(row);
    if (entry) tokens.add(row.token_hash, entry.profileId, entry.clientId, entry.status, entry.expiresAt, entry.graceUntil);
  }
}

/** How a credential's owner slot resolves in these profiles: its profile, if that still belongs to the credential's client. */
export function resolverOf(profiles: ReadonlyMap<string, CompiledProfile>): ResolveProfile<CompiledProfile> {
  return (profileId, clientId) => {
    const p = profiles.get(profileId);
    return p && p.client.id === clientId ? p : undefined;
  };
}

/** The snapshot with these credentials' current rows applied to its token index, everything else shared. */
export function withCredentials(snapshot: Snapshot, rows: readonly CredentialRow[]): Snapshot {
  const changes = new Map<string, TokenEntry | null>();
  for (const row of rows) {
    if (row.token_hash.length !== 64) continue;
    changes.set(Buffer.from(row.token_hash, 'hex').toString('latin1'), tokenEntry(row));
  }
  return { ...snapshot, builtAt: Date.now(), tokens: snapshot.tokens.withChanges(changes, resolverOf(snapshot.profiles)) };
}

/** Every resource row as a change from nothing: a full compile is an incremental one from an empty state. */
export function asChanges(rows: Iterable<{ type: string; id: string } & SnapshotInput['resources'][number]>): ResourceChange[] {
  return [...rows].map((row) => ({ type: row.type, id: row.id, row }));
}

/** Compiles stored config into the immutable snapshot the hot path reads. */
export function compileSnapshot(input: SnapshotInput, onInvalid: InvalidRowHandler = () => {}, open?: OpenSecret): Snapshot {
  const compiler = new SnapshotCompiler(onInvalid, open);
  for (const s of input.backendSecrets ?? []) compiler.stageSecret(s.owner_id, s.ciphertext);
  for (const s of input.mcpSecrets ?? []) compiler.stageMcpSecret(s.owner_type, s.owner_id, s.ciphertext);
  compiler.stage(asChanges(input.resources));
  const { config } = compiler.commit();
  const tokens = new TokenIndexBuilder<CompiledProfile>(input.credentials.length);
  addCredentials(tokens, input.credentials);
  return { ...config, builtAt: Date.now(), tokens: tokens.build(compiler.resolve), approvals: approvalIndex(input.approvals ?? []) };
}

/** Approval decisions by digest: a decision in force per call (a newer one replaces an older). */
export function approvalIndex(rows: readonly ApprovalRow[]): Map<string, ApprovalDecision> {
  const out = new Map<string, ApprovalDecision>();
  for (const row of rows) {
    const d = decisionOf(row);
    if (d !== null) out.set(row.digest, d);
  }
  return out;
}

function decisionOf(row: ApprovalRow): ApprovalDecision | null {
  if (row.status !== 'approved' && row.status !== 'denied') return null;
  return { id: row.id, status: row.status, reason: row.decision_reason, expiresAt: Date.parse(row.expires_at) };
}

/** The snapshot with one approval's current state applied in place of a rebuild (a decision, or an approval spent). */
export function withApproval(snapshot: Snapshot, row: ApprovalRow): Snapshot {
  const approvals = new Map(snapshot.approvals);
  const now = Date.now();
  for (const [digest, d] of approvals) if (d.expiresAt <= now) approvals.delete(digest);
  const d = decisionOf(row);
  if (d !== null) approvals.set(row.digest, d);
  else if (approvals.get(row.digest)?.id === row.id) approvals.delete(row.digest);
  return { ...snapshot, approvals };
}

// Work done between yields to the event loop while a large config loads: calls keep being served.
const SLICE_MS = 10;

/**
 * Lets pending I/O (proxied calls, health checks) run, and what it queued for the check phase
 * (undici writes to a kept-alive upstream socket from an immediate) before the next slice.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Time slices for a long loop of snapshot work: `due` once SLICE_MS has run, `giveWay` yields and starts the next. */
export class LoopSlices {
  #start = performance.now();

  /** The current slice has run its time. */
  get due(): boolean {
    return performance.now() - this.#start > SLICE_MS;
  }

  /** Yields to the event loop (see yieldToLoop) and starts a new slice. */
  async giveWay(): Promise<void> {
    await yieldToLoop();
    this.#start = performance.now();
  }
}

/** Stages changes in time slices, yielding between them, so a large apply never holds the event loop for long. */
export async function stageInSlices(compiler: SnapshotCompiler, changes: readonly ResourceChange[]): Promise<void> {
  const slices = new LoopSlices();
  for (let i = 0; i < changes.length; i += 64) {
    compiler.stage(changes.slice(i, i + 64));
    if (slices.due) await slices.giveWay();
  }
}

/** Packs every non-revoked credential into a token index a page at a time, yielding between pages. */
export async function loadTokenIndex(db: Kysely<DB>, resolve: ResolveProfile<CompiledProfile>): Promise<TokenIndex<CompiledProfile>> {
  const tokens = new TokenIndexBuilder<CompiledProfile>(await countCredentials(db));
  await forEachCredentialPage(db, async (rows) => {
    addCredentials(tokens, rows);
    await yieldToLoop();
  });
  return tokens.build(resolve);
}

/** Reads and compiles the whole snapshot into a fresh compiler, in slices, keeping the compiler for incremental changes. */
export async function loadSnapshot(
  db: Kysely<DB>,
  onInvalid: InvalidRowHandler = () => {},
  open?: OpenSecret,
): Promise<{ snapshot: Snapshot; compiler: SnapshotCompiler }> {
  const compiler = new SnapshotCompiler(onInvalid, open);
  for (const s of await loadBackendSecrets(db)) compiler.stageSecret(s.owner_id, s.ciphertext);
  for (const s of await loadMcpSecrets(db)) compiler.stageMcpSecret(s.owner_type, s.owner_id, s.ciphertext);
  await forEachResourcePage(db, (rows) => stageInSlices(compiler, asChanges(rows)));
  const { config } = await compiler.commitInSlices();
  const tokens = await loadTokenIndex(db, compiler.resolve);
  const approvals = approvalIndex(await liveDecisions(db, new Date().toISOString()));
  return { snapshot: { ...config, builtAt: Date.now(), tokens, approvals }, compiler };
}
