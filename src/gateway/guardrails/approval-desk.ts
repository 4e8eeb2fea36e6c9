import { newId } from '../../core/index.js';
import type { ApprovalRow } from '../../store/repositories/approvals.js';
import type { SnapshotHolder } from '../snapshot/holder.js';
import type { ApprovalDesk, ApprovalRequest } from './services.js';

/** Where the desk writes: opening an approval, and spending one (the only store writes of the call path, and only for held calls). */
export interface ApprovalStore {
  insert(row: ApprovalRow): Promise<void>;
  consume(id: string, at: string): Promise<boolean>;
}

/** What the gateway needs to hold calls for approval: the store, and the link an approver opens. */
export interface ApprovalOptions {
  store: ApprovalStore;
  /** The console page of an approval, e.g. `https://gw.example.com/console/approvals/apr_…`. */
  link(id: string): string;
}

const MAX_OPEN = 10_000;

/**
 * The approval desk of one gateway: decisions are read from the live snapshot (the change feed
 * brings a decision within a second); approvals this node opened are remembered per digest until
 * they are decided or expire, so a caller retrying a held call gets the same approval back.
 */
export function createApprovalDesk(snapshots: SnapshotHolder, opts: ApprovalOptions): ApprovalDesk {
  const open = new Map<string, { id: string; url: string; expiresAt: string; until: number }>();
  return {
    decision(digest) {
      const d = snapshots.current().approvals.get(digest);
      if (d === undefined || d.expiresAt <= Date.now()) return undefined;
      if (open.get(digest)?.id === d.id) open.delete(digest);
      return d;
    },
    async request(call: ApprovalRequest) {
      const now = Date.now();
      const known = open.get(call.digest);
      if (known !== undefined && known.until > now) return known;
      const expires = new Date(now + call.ttlSeconds * 1000).toISOString();
      const id = newId('apr');
      await opts.store.insert({
        id,
        digest: call.digest,
        status: 'pending',
        caller: call.caller.slice(0, 300),
        client_id: call.clientId,
        target: call.target.slice(0, 1000),
        // Kept for rows from before approvals were bound to the call; call_text is what approvers read.
        arguments_preview: '',
        reason: call.reason,
        workflow: call.workflow,
        node: call.node,
        requested_at: new Date(now).toISOString(),
        expires_at: expires,
        decided_at: null,
        decided_by: null,
        decision_reason: null,
        used_at: null,
        method: call.bound.method,
        path: call.bound.path,
        query: call.bound.query,
        body_sha256: call.bound.bodySha256,
        body_bytes: call.bodyBytes,
        mcp_server: call.bound.mcp?.server ?? null,
        mcp_tool: call.bound.mcp?.tool ?? null,
        bound_headers: JSON.stringify(call.bound.headers),
        upstream: call.bound.upstream,
        call_text: call.text,
        call_bytes: call.textBytes,
      });
      if (open.size >= MAX_OPEN) for (const [k, v] of open) if (v.until <= now || open.size >= MAX_OPEN) open.delete(k);
      const opened = { id, url: opts.link(id), expiresAt: expires, until: now + call.ttlSeconds * 1000 };
      open.set(call.digest, opened);
      return opened;
    },
    consume(id) {
      return opts.store.consume(id, new Date().toISOString());
    },
  };
}
