import { type AuditEntry, type Channel, GatehouseError, type Principal } from '../core/index.js';
import { type ChangeFeed, type ConfigChange, MAX_BROADCAST_BYTES } from '../store/change-feed.js';
import type { Database } from '../store/database.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { bufferInserts, flushInserts } from '../store/repositories/resources.js';
import { AuditBatch, appendAudit, type ChainHead, inChainTransaction } from '../store/repositories/audit.js';
import type { SecretBox } from '../store/secret-box.js';
import { openWriteJournal, publishWithWrites, sentWritesOf, type WriteJournal } from '../store/write-journal.js';
import { type Decision, decide, type Grant, grantsFor } from './authorize.js';
import {
  type AnyOperation,
  type AuditNote,
  type OpenedStream,
  type OperationContext,
  PREPARE_TIMEOUT_MS,
  type PrepareContext,
  StalePreparation,
} from './operation.js';
import { redact } from '../core/redact.js';
import { type JobHooks, JobRunner, type StartedJob } from './jobs/runner.js';
import type { JobRetention } from '../store/repositories/jobs.js';
import { validationError } from './validation.js';
import type { OperationInput, OperationName, OperationOutput, Registry } from './registry.js';

/** Who is calling, through which surface; adapters build this from the request. */
export interface OperationCall {
  principal: Principal;
  channel: Channel;
  clientApp?: string | null;
  ip?: string | null;
  requestId: string;
  /** Validate and compute the change, then roll it back and return the plan. */
  dryRun?: boolean;
  /** The local CLI, which holds the data directory and so acts as an admin. */
  localAdmin?: boolean;
  /** Set when the call runs as a job: its progress and audit entries go to the job (management/jobs). */
  job?: JobHooks;
}

export interface DryRunResult {
  dryRun: true;
  planned: { resourceId: string | null; before?: unknown; after?: unknown };
  result: unknown;
}

const MINT = Symbol('gatehouse.grants');

/**
 * A caller's role grants, resolved once for a request by the executor (adapters cannot make one):
 * an adapter that lists what a caller may do and then runs its call hands them back, so the
 * bindings are read once, not once per decision.
 */
export class CallerGrants {
  readonly #principal: Principal;
  readonly #grants: readonly Grant[];
  /** The same for every caller with the same grants: what a per-role cache keys on. */
  readonly key: string;

  constructor(mint: symbol, principal: Principal, grants: readonly Grant[]) {
    if (mint !== MINT) throw new TypeError('CallerGrants are made by the executor');
    this.#principal = principal;
    this.#grants = grants;
    this.key = JSON.stringify(grants.map((g) => [g.role, g.scope.resourceTypes ?? null, g.scope.collectionIds ?? null]).sort());
  }

  /** The grants, for the principal they were resolved for only. */
  for(principal: Principal): readonly Grant[] | null {
    return principal === this.#principal ? this.#grants : null;
  }

  /** Whether the grants allow an operation (the same decision the executor makes when it runs it). */
  allows(op: AnyOperation): boolean {
    return decide(this.#grants, entryOf(op)).allowed;
  }
}

class DryRunRollback extends Error {
  constructor(readonly outcome: DryRunResult) {
    super('dry run');
  }
}

/** A composite's steps that have a prepare phase, in the order they ran: rolled back, to be prepared and run again. */
class StepsToPrepare extends Error {
  constructor(readonly steps: ReadonlyArray<{ op: AnyOperation; input: unknown }>) {
    super('steps to prepare');
  }
}

/** What a step's prepare phase gave, by the order of the steps that have one. */
type StepPreparation = { name: string; prepared: unknown };

export interface ExecutorOptions {
  database: Database;
  registry: Registry;
  secrets: SecretBox;
  changes: ChangeFeed;
  /** Awaited after a write is published, so the caller's next request already sees it on this node. */
  afterCommit?: (change: ConfigChange) => Promise<void>;
  /** Each audit entry once committed (OpenTelemetry export); must not throw or block. */
  onAudit?: (entry: AuditEntry) => void;
  log?: (msg: string, err: unknown) => void;
  /** The store's health from a background probe: calls are refused at once while it is stalled (absent: always healthy). */
  storeHealth?: StoreHealth;
  /** How long finished jobs are kept, and how many (default: a week, 1,000). */
  jobRetention?: JobRetention;
}

/** What a background probe knows of the store, read without waiting on the store. */
export interface StoreHealth {
  available(): boolean;
  /** Calls `listener` when the store is next seen stalled; returns the unsubscribe. */
  onUnavailable(listener: () => void): () => void;
}

/** A write whose caller was answered 503 while it waited on a stalled store: it must not commit afterwards. */
interface Abandonable {
  abandoned: boolean;
}

/** Runs operations: authenticate (done by the adapter) → authorize → validate → handler + audit in one transaction → publish. */
export class Executor {
  readonly #opts: ExecutorOptions;
  // The newest audit entry this executor committed: its next append need not read the chain first.
  #head: ChainHead | null = null;
  readonly jobs: JobRunner;
  constructor(opts: ExecutorOptions) {
    this.#opts = opts;
    this.jobs = new JobRunner(opts.database, opts.log, opts.jobRetention);
  }

  /**
   * Starts an operation that may run as a job (`job: true`) in the background and answers at once
   * with the stored job. What a direct call would refuse at once (input that does not match the
   * schema, a role that may not start it, a stalled store) is refused here the same way, audited.
   */
  async startJob(name: string, rawInput: unknown, call: Omit<OperationCall, 'dryRun' | 'job'>, known?: CallerGrants): Promise<StartedJob> {
    const op = this.#opts.registry.get(name);
    if (!op?.job) throw new GatehouseError('GATEHOUSE_BAD_REQUEST', `${name} cannot run as a job.`);
    if (this.#opts.storeHealth && !this.#opts.storeHealth.available()) throw new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE');
    // Grants the adapter already read for this very principal (the Management MCP's), or read now.
    const grants = known?.for(call.principal) ? known : await this.grantsFor(call);
    if (!op.input.safeParse(rawInput ?? {}).success || !grants.allows(op)) {
      // Run directly with the same grants, it is refused (and audited) exactly as a direct call is.
      await this.dispatch(name, rawInput, call, grants);
      throw new GatehouseError('GATEHOUSE_INTERNAL', `${name} was expected to be refused.`);
    }
    return this.jobs.start({
      operation: name,
      principal: call.principal,
      channel: call.channel,
      requestId: call.requestId,
      run: (hooks) => this.dispatch(name, rawInput, { ...call, job: hooks }),
    });
  }

  get registry(): Registry {
    return this.#opts.registry;
  }

  /** The caller's grants, read once; pass them back to dispatch calls made for the same request. */
  async grantsFor(call: OperationCall): Promise<CallerGrants> {
    return new CallerGrants(MINT, call.principal, await this.#grants(call));
  }

  /** Runs a known operation with typed input and output (for code that knows what it calls: the CLI, start-up, the demo). */
  async execute<N extends OperationName>(name: N, input: OperationInput<N>, call: Omit<OperationCall, 'dryRun'>): Promise<OperationOutput<N>> {
    // The one place input and output types meet the registry: the operation's own schemas validate the input.
    return (await this.dispatch(name, input, call)) as OperationOutput<N>;
  }

  /** Runs any operation by name with raw input (the generic adapters: admin API, Management MCP; dry runs). */
  async dispatch(name: string, rawInput: unknown, call: OperationCall, grants?: CallerGrants): Promise<unknown> {
    const health = this.#opts.storeHealth;
    // A store the probe saw stall refuses at once with 503 (the data plane keeps serving on its last snapshot).
    if (health && !health.available()) throw new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE');
    const token: Abandonable = { abandoned: false };
    const run = this.#dispatch(name, rawInput, call, grants, token).catch((err: unknown) => {
      if (!(err instanceof GatehouseError) && isStoreUnavailable(err)) throw new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE');
      throw err;
    });
    if (!health) return run;
    // A call already waiting on the store when it stalls is answered then, not when the store comes back.
    return new Promise((resolve, reject) => {
      const off = health.onUnavailable(() => {
        token.abandoned = true;
        reject(new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE'));
      });
      run.then(resolve, reject).finally(off);
    });
  }

  async #dispatch(name: string, rawInput: unknown, call: OperationCall, grants: CallerGrants | undefined, token: Abandonable): Promise<unknown> {
    const op = this.#opts.registry.get(name);
    if (!op) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No operation named ${name}.`);
    // Grants resolved for this very principal object by this executor, or read now.
    const known = grants instanceof CallerGrants ? grants.for(call.principal) : null;
    const granted = known ?? (await this.#grants(call));
    const decision = decide(granted, entryOf(op));
    if (!decision.allowed) {
      const err = new GatehouseError('GATEHOUSE_FORBIDDEN', decision.reason);
      await this.#auditFailure(op, rawInput, call, err);
      throw err;
    }
    const parsed = op.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const err = validationError(parsed.error);
      if (op.permission !== 'read') await this.#auditFailure(op, rawInput, call, err);
      throw err;
    }
    if (op.permission === 'read') {
      const prepared = await this.#prepare(op, parsed.data, call, granted);
      const scope: Scope = {
        db: this.#opts.database.db,
        call,
        grants: granted,
        writable: false,
        audits: [],
        followUps: [],
        closing: new Map(),
        stepsPrepared: null,
        stepsToPrepare: [],
        batch: null,
      };
      return op.handler(this.#context(scope, decision, { resourceId: null }), parsed.data, prepared);
    }
    return this.#write(op, parsed.data, rawInput, call, decision, granted, token);
  }

  /** Opens a streamed read (a log export) after authorizing and validating it like any read. */
  async stream(name: string, rawInput: unknown, call: OperationCall): Promise<OpenedStream> {
    const op = this.#opts.registry.stream(name);
    if (!op) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No operation named ${name}.`);
    const decision = decide(await this.#grants(call), op);
    if (!decision.allowed) throw new GatehouseError('GATEHOUSE_FORBIDDEN', decision.reason);
    const parsed = op.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    return op.open(this.#opts.database.db, parsed.data);
  }

  async #write(
    op: AnyOperation,
    input: unknown,
    rawInput: unknown,
    call: OperationCall,
    decision: Decision,
    grants: readonly Grant[],
    token: Abandonable,
  ): Promise<unknown> {
    const attempt = (stepsPrepared: StepPreparation[] | null): Attempt => ({
      note: { resourceId: idOf(rawInput) },
      audits: [],
      followUps: [],
      stepsPrepared,
      stepsToPrepare: [],
      journal: null,
      change: null,
      sent: false,
    });
    let run = attempt(null);
    let retriedStale = false;
    let result: unknown;
    for (;;) {
      try {
        const prepared = await this.#prepare(op, input, call, grants);
        result = await this.#transact(op, input, call, decision, grants, token, prepared, run);
        break;
      } catch (err) {
        if (err instanceof DryRunRollback) return err.outcome;
        // A composite learns which of its steps need preparing by running them: prepared outside, it runs again.
        if (err instanceof StepsToPrepare && run.stepsPrepared === null) {
          run = attempt(await this.#prepareSteps(err.steps, call, grants));
          continue;
        }
        // A handler that finds its preparation stale is prepared and run once more: the second time it is an answer (409).
        if (err instanceof StalePreparation && !retriedStale) {
          retriedStale = true;
          run = attempt(null);
          continue;
        }
        const gh = toGatehouseError(err, this.#opts.log);
        await this.#auditFailure(op, rawInput, call, gh, run.note.resourceId);
        throw gh;
      }
    }
    const { audits, followUps, journal, change, sent } = run;
    call.job?.audited(audits);
    if (audits.length > 0) this.#committed(audits[audits.length - 1]!);
    for (const entry of audits) this.#opts.onAudit?.(entry);
    for (const task of followUps) void task().catch((err: unknown) => this.#opts.log?.('a follow-up of a committed change failed', err));
    // A composite that changed nothing has nothing to publish.
    if (!change) return result;
    // This node's snapshot takes the rows as written rather than reading them back (when every one was journaled).
    const writes = journal?.complete() ? { rows: journal.rows, types: new Set(audits.map((a) => a.resourceType)) } : null;
    publishWithWrites(this.#opts.changes, change, writes, sent);
    await this.#opts.afterCommit?.(change).catch((err) => this.#opts.log?.('applying a committed change failed', err));
    return result;
  }

  /**
   * The prepare phase: the operation's network I/O, before any transaction (so the audit-chain lock
   * is never held while an upstream answers), bounded by its own timeout.
   */
  async #prepare(op: AnyOperation, input: unknown, call: OperationCall, grants: readonly Grant[]): Promise<unknown> {
    if (!op.prepare) return undefined;
    const { db, dialect } = this.#opts.database;
    const ctx: PrepareContext = { db, dialect, principal: call.principal, secrets: this.#opts.secrets, requireAdmin: adminCheck(grants) };
    const limitMs = op.prepareTimeoutMs ?? PREPARE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', `Preparing ${op.name} took longer than ${limitMs / 1000} s.`)), limitMs);
    });
    try {
      return await Promise.race([op.prepare(input, ctx), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The prepare phases of a composite's steps, side by side; a step whose preparation fails runs without it, as it would unprepared. */
  async #prepareSteps(steps: ReadonlyArray<{ op: AnyOperation; input: unknown }>, call: OperationCall, grants: readonly Grant[]): Promise<StepPreparation[]> {
    return Promise.all(steps.map(async ({ op, input }) => ({ name: op.name, prepared: await this.#prepare(op, input, call, grants).catch(() => undefined) })));
  }

  /** The handler and its audit entry in one transaction holding the audit-chain lock; no network I/O in here. */
  async #transact(
    op: AnyOperation,
    input: unknown,
    call: OperationCall,
    decision: Decision,
    grants: readonly Grant[],
    token: Abandonable,
    prepared: unknown,
    attempt: Attempt,
  ): Promise<unknown> {
    const { note, audits, followUps, stepsPrepared, stepsToPrepare } = attempt;
    const feed = this.#opts.changes;
    // The other nodes are told with the commit itself where the feed can (PostgreSQL NOTIFY), not in a round trip after it.
    const notify = () => {
      if (!attempt.change || !feed.notifyStatement) return null;
      attempt.sent = true;
      // The rows go along when every one was journaled (a small change): the other nodes then read nothing back.
      const journal = attempt.journal;
      const writes = journal?.complete()
        ? sentWritesOf({ rows: journal.rows, types: new Set(attempt.audits.map((a) => a.resourceType)) }, MAX_BROADCAST_BYTES)
        : undefined;
      return feed.notifyStatement(attempt.change, writes);
    };
    return inChainTransaction(
      this.#opts.database,
      async (trx) => {
        attempt.journal = openWriteJournal(trx);
        // A composite's steps (an apply's thousands) have their audit entries written in batches, not a round trip each.
        const batch = op.composite ? new AuditBatch(trx) : null;
        // …and their creates too (store/repositories/resources.ts: reads in between still see them).
        if (op.composite) bufferInserts(trx);
        const scope: Scope = { db: trx, call, grants, writable: true, audits, followUps, closing: new Map(), stepsPrepared, stepsToPrepare, batch };
        const ctx = this.#context(scope, decision, note);
        const out = await op.handler(ctx, input, prepared);
        await flushInserts(trx);
        await closeScope(scope);
        await flushInserts(trx);
        requireCollectionChecked(ctx, decision);
        if (stepsPrepared === null && stepsToPrepare.length > 0) throw new StepsToPrepare(stepsToPrepare);
        if (call.dryRun) {
          throw new DryRunRollback({
            dryRun: true,
            planned: { resourceId: note.resourceId, before: redact(note.before), after: redact(note.after) },
            result: out,
          });
        }
        await batch?.flush();
        if (!op.composite) audits.push(await this.#append(trx, audits, this.#successEntry(op, call, note)));
        // Its caller was told 503: roll back rather than commit a change they were told did not happen.
        if (token.abandoned) throw new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE');
        // A composite that changed nothing has nothing to publish.
        if (!op.composite || audits.length > 0) attempt.change = changeOf(op, note, audits);
        return out;
      },
      notify,
    );
  }

  /** One step of a composite: authorize, validate, run in the composite's transaction, audit. */
  async #invoke(scope: Scope, name: string, rawInput: unknown): Promise<unknown> {
    const op = this.#opts.registry.get(name);
    if (!op) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No operation named ${name}.`);
    // A step runs in the composite's open transaction: one with a prepare phase must be made to be prepared as a step.
    if (op.composite || (op.prepare && !op.preparedAsStep) || (op.permission !== 'read' && !scope.writable)) {
      throw new Error(`${name} cannot run inside another operation here`);
    }
    const decision = decide(scope.grants, op);
    if (!decision.allowed) throw new GatehouseError('GATEHOUSE_FORBIDDEN', `${name}: ${decision.reason}`);
    const parsed = op.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const note: AuditNote = { resourceId: idOf(rawInput) };
    const ctx = this.#context(scope, decision, note);
    const out = await op.handler(ctx, parsed.data, op.prepare ? stepPrepared(scope, op, parsed.data) : undefined);
    if (op.permission !== 'read') {
      requireCollectionChecked(ctx, decision);
      const entry = this.#successEntry(op, scope.call, note);
      scope.audits.push(await (scope.batch ? scope.batch.append(entry) : this.#append(scope.db, scope.audits, entry)));
    }
    return out;
  }

  /** Appends to the chain after this transaction's own entries so far, or after the newest this executor saw committed. */
  #append(trx: OperationContext['db'], appended: readonly AuditEntry[], draft: Parameters<typeof appendAudit>[1]): Promise<AuditEntry> {
    const mine = appended[appended.length - 1];
    return appendAudit(trx, draft, mine ? { seq: mine.seq, hash: mine.hash } : this.#head);
  }

  /** Notes a committed entry as the chain's head, if newer than the one known (another node's appends are found at the next append). */
  #committed(entry: AuditEntry): void {
    if (!this.#head || entry.seq > this.#head.seq) this.#head = { seq: entry.seq, hash: entry.hash };
  }

  #successEntry(op: AnyOperation, call: OperationCall, note: AuditNote) {
    return {
      ...this.#auditBase(op, call),
      resourceId: note.resourceId,
      outcome: 'success' as const,
      status: op.http.status ?? 200,
      errorCode: null,
      diff: { before: redact(note.before), after: redact(note.after) },
    };
  }

  async #grants(call: OperationCall): Promise<Grant[]> {
    if (call.localAdmin) return [{ role: 'admin', scope: {} }];
    return grantsFor(this.#opts.database.db, call.principal);
  }

  #context(scope: Scope, decision: Decision, audit: AuditNote): OperationContext {
    const ctx: CheckedContext = {
      db: scope.db,
      dialect: this.#opts.database.dialect,
      principal: scope.call.principal,
      secrets: this.#opts.secrets,
      now: new Date().toISOString(),
      audit,
      collectionChecked: false,
      requireCollection(collectionId: string) {
        ctx.collectionChecked = true;
        if (decision.allowed && decision.collections !== 'all' && !decision.collections.has(collectionId)) {
          throw new GatehouseError('GATEHOUSE_FORBIDDEN', `Your role does not reach collection ${collectionId}.`);
        }
      },
      requireAdmin: adminCheck(scope.grants),
      invoke: (name, input) => this.#invoke(scope, name, input),
      afterCommit(task) {
        if (!scope.writable) throw new Error('only a write has a commit to follow');
        scope.followUps.push(task);
      },
      beforeCommit(key, task) {
        if (!scope.writable) throw new Error('only a write has a commit to prepare');
        if (!scope.closing.has(key)) scope.closing.set(key, task);
      },
      progress: (update) => scope.call.job?.progress(update),
    };
    return ctx;
  }

  #auditBase(op: AnyOperation, call: OperationCall) {
    return {
      time: new Date().toISOString(),
      actor: { subject: call.principal.subject, name: call.principal.name, kind: call.principal.kind },
      channel: call.channel,
      clientApp: call.clientApp ?? call.principal.clientId ?? null,
      ip: call.ip ?? null,
      action: op.name,
      resourceType: op.resource,
      requestId: call.requestId,
    };
  }

  /** Audits a write the transport refused before it reached the executor (a malformed or too-large body). */
  async auditRefused(name: string, rawInput: unknown, call: OperationCall, err: GatehouseError): Promise<void> {
    const op = this.#opts.registry.get(name);
    if (op) await this.#auditFailure(op, rawInput, call, err);
  }

  /** Denied and failed attempts are audited in a transaction of their own, after the failed one rolled back. */
  async #auditFailure(op: AnyOperation, rawInput: unknown, call: OperationCall, err: GatehouseError, resourceId?: string | null) {
    if (call.dryRun) return;
    try {
      const entry = await inChainTransaction(this.#opts.database, async (trx) => {
        return this.#append(trx, [], {
          ...this.#auditBase(op, call),
          resourceId: resourceId ?? idOf(rawInput),
          outcome: err.code === 'GATEHOUSE_FORBIDDEN' ? 'denied' : 'failure',
          status: err.status,
          errorCode: err.code,
          diff: null,
        });
      });
      this.#committed(entry);
      call.job?.audited([entry]);
      this.#opts.onAudit?.(entry);
    } catch (auditErr) {
      this.#opts.log?.('could not audit a failed operation', auditErr);
    }
  }
}

interface CheckedContext extends OperationContext {
  collectionChecked: boolean;
}

/** What one try of a write fills in: discarded when it rolls back to be prepared again. */
interface Attempt {
  note: AuditNote;
  /** Entries appended, handed to `onAudit` once committed. */
  audits: AuditEntry[];
  followUps: Array<() => Promise<void>>;
  /** A composite's steps' preparations from the pass before (null: none made yet). */
  stepsPrepared: StepPreparation[] | null;
  /** The steps with a prepare phase this pass ran, in order, with their input. */
  stepsToPrepare: Array<{ op: AnyOperation; input: unknown }>;
  /** The resource rows the transaction wrote. */
  journal: WriteJournal | null;
  /** The change to publish once committed (null: nothing to publish). */
  change: ConfigChange | null;
  /** Whether the other nodes were told of it with the commit. */
  sent: boolean;
}

/** The change a committed write publishes, with its audit entries' sequence numbers. */
function changeOf(op: AnyOperation, note: AuditNote, audits: readonly AuditEntry[]): ConfigChange {
  return {
    resourceType: op.resource,
    resourceId: note.resourceId,
    action: op.name,
    at: new Date().toISOString(),
    ...(audits.length > 0 ? { seq: { first: audits[0]!.seq, last: audits[audits.length - 1]!.seq } } : {}),
  };
}

/** What one execution shares with the steps it invokes. */
interface Scope {
  db: OperationContext['db'];
  call: OperationCall;
  grants: readonly Grant[];
  /** Inside a write transaction (steps may write). */
  writable: boolean;
  /** Entries appended so far, handed to `onAudit` once committed. */
  audits: AuditEntry[];
  /** Work to start once the transaction has committed. */
  followUps: Array<() => Promise<void>>;
  /** Work that must see the whole change, by key, run once before the transaction commits. */
  closing: Map<string, () => Promise<void>>;
  stepsPrepared: StepPreparation[] | null;
  stepsToPrepare: Array<{ op: AnyOperation; input: unknown }>;
  /** Where a composite's steps append their audit entries (null: each appends its own, as a single write does). */
  batch: AuditBatch | null;
}

/**
 * A step's preparation from the pass before, matched by its place among the steps that have one
 * (the same plan runs the same steps in the same order); undefined on a first pass or when the plan
 * changed meanwhile (the step then runs without it).
 */
function stepPrepared(scope: Scope, op: AnyOperation, input: unknown): unknown {
  const place = scope.stepsToPrepare.push({ op, input }) - 1;
  const earlier = scope.stepsPrepared?.[place];
  return earlier?.name === op.name ? earlier.prepared : undefined;
}

/** Runs the scope's closing work, including any that work schedules in turn. */
async function closeScope(scope: Scope): Promise<void> {
  while (scope.closing.size > 0) {
    const tasks = [...scope.closing.values()];
    scope.closing.clear();
    for (const task of tasks) await task();
  }
}

/** What starting an operation needs: a composite is open to any role, since each of its steps is authorized on its own. */
function entryOf(op: AnyOperation): Pick<AnyOperation, 'permission' | 'resource' | 'alsoWrites'> {
  return op.composite ? { permission: 'read', resource: op.resource } : op;
}

/** A collection-scoped role may only write what the handler checked against its collections. */
function requireCollectionChecked(ctx: OperationContext, decision: Decision): void {
  if (decision.allowed && decision.collections !== 'all' && !(ctx as CheckedContext).collectionChecked) {
    throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'Your role is limited to some collections.');
  }
}

function idOf(input: unknown): string | null {
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : null;
}

function toGatehouseError(err: unknown, log?: (msg: string, err: unknown) => void): GatehouseError {
  if (err instanceof GatehouseError) return err;
  if (isStoreUnavailable(err)) return new GatehouseError('GATEHOUSE_STORE_UNAVAILABLE');
  log?.('operation failed', err);
  return new GatehouseError('GATEHOUSE_INTERNAL');
}

/** Throws GATEHOUSE_FORBIDDEN (saying `what` needs it) unless one of the grants is an admin's. */
function adminCheck(grants: readonly Grant[]): (what: string) => void {
  return (what) => {
    if (!grants.some((g) => g.role === 'admin')) throw new GatehouseError('GATEHOUSE_FORBIDDEN', `Only admins may ${what}.`);
  };
}
