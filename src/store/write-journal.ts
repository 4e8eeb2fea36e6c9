import type { Kysely, KyselyPlugin, OperationNode } from 'kysely';
import type { ChangeFeed, ConfigChange, SentWrites } from './change-feed.js';
import type { DB, ResourceTable } from './schema.js';

/** A `resources` row exactly as a write left it (what a snapshot pass would read back), or null once deleted. */
export type WrittenRow = Pick<ResourceTable, 'type' | 'id' | 'data' | 'version' | 'created_at' | 'updated_at'>;

/** What one committed write changed, as the node that made it knows it: every resource row it wrote and the types it audited. */
export interface CommittedWrites {
  /** By `type\nid`, the last state each row was written to (null: deleted). */
  readonly rows: ReadonlyMap<string, WrittenRow | null>;
  /** The resource types of the change's audit entries (a composite's steps included). */
  readonly types: ReadonlySet<string>;
}

// Every insert, update or delete of `resources` this process ran (counted by the store's plugin), and
// those a repository recorded in a journal. While the two move together, no resource row was written
// behind a journal's back: not by a write outside one (a seed), nor by a statement that is not a
// repository's (a bulk insert), which a journal open meanwhile could not tell from its own.
let resourceStatements = 0;
let journaledStatements = 0;

/** How many resource writes this process ran that no journal recorded (a seed, a bulk insert, a test's edit): a snapshot that saw this count change must read the store. */
export function unjournaledResourceWrites(): number {
  return resourceStatements - journaledStatements;
}

/** The resource rows one transaction writes, collected as its repositories write them. */
export class WriteJournal {
  readonly rows = new Map<string, WrittenRow | null>();
  readonly #statementsAtOpen = resourceStatements;
  readonly #journaledAtOpen = journaledStatements;

  /** Whether every resource write in this process while the journal was open was recorded by a journal (none was missed). */
  complete(): boolean {
    return resourceStatements - this.#statementsAtOpen === journaledStatements - this.#journaledAtOpen;
  }
}

const journals = new WeakMap<Kysely<DB>, WriteJournal>();

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableOf((node as unknown as { node: OperationNode }).node);
  return undefined;
}

// Resource writes issued and not yet answered, by query id.
const issued = new WeakSet<object>();

/**
 * Counts the statements that write `resources`, whoever builds them (installed on the store's Kysely
 * instance), once each is answered: the repository notes its row in the same turn of the event loop,
 * so a snapshot pass never sees the two counts apart. Counted when issued, a pass that began while a
 * write was in flight took it for an unjournaled one and read the whole store back.
 */
export const countResourceWrites: KyselyPlugin = {
  transformQuery({ node, queryId }) {
    const n = node as unknown as { kind: string; into?: OperationNode; table?: OperationNode; from?: { froms: OperationNode[] } };
    const table =
      n.kind === 'InsertQueryNode'
        ? tableOf(n.into)
        : n.kind === 'UpdateQueryNode'
          ? tableOf(n.table)
          : n.kind === 'DeleteQueryNode'
            ? tableOf(n.from?.froms[0])
            : undefined;
    if (table === 'resources') issued.add(queryId);
    return node;
  },
  transformResult: async ({ result, queryId }) => {
    if (issued.delete(queryId)) resourceStatements++;
    return result;
  },
};

/** Starts collecting the resource writes made through `trx` (the executor's write transaction). */
export function openWriteJournal(trx: Kysely<DB>): WriteJournal {
  const journal = new WriteJournal();
  journals.set(trx, journal);
  return journal;
}

/** Records the rows one multi-row statement wrote through `db` (a batch of an apply's creates): one statement, many rows. */
export function noteResourceRowsWritten(db: Kysely<DB>, rows: ReadonlyArray<WrittenRow>): void {
  const journal = journals.get(db);
  if (!journal) return;
  for (const row of rows) journal.rows.set(`${row.type}\n${row.id}`, row);
  journaledStatements++;
}

/** Records a resource row a repository wrote through `db` (the row as stored, or null when deleted). */
export function noteResourceWrite(db: Kysely<DB>, type: string, id: string, row: WrittenRow | null): void {
  const journal = journals.get(db);
  if (!journal) return;
  journal.rows.set(`${type}\n${id}`, row);
  journaledStatements++;
}

// Kept beside the change rather than in it: a change is serialized to other nodes, its rows are not.
const committed = new WeakMap<ConfigChange, CommittedWrites>();

/** Publishes a committed change carrying what it wrote, for this node's own subscribers (the snapshot holder); `sent`: the other nodes were told at commit. */
export function publishWithWrites(feed: ChangeFeed, change: ConfigChange, writes: CommittedWrites | null, sent: boolean): void {
  if (writes) committed.set(change, writes);
  feed.publish(change, sent);
}

/** What a change made on this node wrote, when known in full (absent: a change heard from elsewhere, or one to read back). */
export function committedWritesOf(change: ConfigChange): CommittedWrites | undefined {
  return committed.get(change);
}

/**
 * What a committed write changed, in the form another node is sent it (with the change's notification),
 * or undefined when it would not fit in `maxBytes` of JSON: that node then reads the rows back instead.
 * Bails out on the first row past the bound, so a large apply's 100,000 rows cost a few comparisons.
 */
export function sentWritesOf(writes: CommittedWrites, maxBytes: number): SentWrites | undefined {
  const rows: SentWrites['rows'] = [];
  // The data text dominates; the envelope of each row is ~150 bytes of JSON.
  let bytes = 0;
  for (const [key, row] of writes.rows) {
    bytes += key.length + 150 + (row === null ? 0 : row.data.length);
    if (bytes > maxBytes) return undefined;
    rows.push([
      key,
      row === null ? null : { type: row.type, id: row.id, data: row.data, version: row.version, created_at: row.created_at, updated_at: row.updated_at },
    ]);
  }
  return { rows, types: [...writes.types] };
}

const isText = (v: unknown): v is string => typeof v === 'string';

/** A row sent by another node, checked field by field (a malformed one makes the receiver read the store). */
function receivedRow(key: unknown, row: unknown): WrittenRow | null | undefined {
  if (!isText(key)) return undefined;
  if (row === null) return null;
  if (typeof row !== 'object') return undefined;
  const r = row as Record<string, unknown>;
  if (!isText(r.type) || !isText(r.id) || !isText(r.data) || !Number.isSafeInteger(r.version) || !isText(r.created_at) || !isText(r.updated_at))
    return undefined;
  if (key !== `${r.type}\n${r.id}`) return undefined;
  return { type: r.type, id: r.id, data: r.data, version: r.version as number, created_at: r.created_at, updated_at: r.updated_at };
}

/**
 * Attaches the rows another node sent with its change (see `sentWritesOf`), so this node's snapshot
 * takes them as the writer does instead of reading them back. Only a feed whose messages are as
 * trusted as the store itself may call this (PostgreSQL's NOTIFY: whoever can send one can write the rows).
 */
export function attachSentWrites(change: ConfigChange, sent: unknown): void {
  if (typeof sent !== 'object' || sent === null) return;
  const { rows, types } = sent as { rows?: unknown; types?: unknown };
  if (!Array.isArray(rows) || !Array.isArray(types) || !types.every(isText)) return;
  const out = new Map<string, WrittenRow | null>();
  for (const entry of rows) {
    if (!Array.isArray(entry) || entry.length !== 2) return;
    const row = receivedRow(entry[0], entry[1]);
    if (row === undefined) return;
    out.set(entry[0] as string, row);
  }
  committed.set(change, { rows: out, types: new Set(types) });
}
