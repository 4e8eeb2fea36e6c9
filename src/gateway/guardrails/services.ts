import type { BoundCall } from './approval-digest.js';
/** An approval decision the data plane knows from its snapshot (never read from the store per call). */
export interface ApprovalDecision {
  readonly id: string;
  readonly status: 'approved' | 'denied';
  readonly reason: string | null;
  /** Epoch ms after which it no longer counts. */
  readonly expiresAt: number;
}

/** A call a tool policy holds for approval, as the approvers will see it. */
export interface ApprovalRequest {
  digest: string;
  /** Who called: `user:<id>`, `jwt:<sub>`, or the client and profile. */
  caller: string;
  clientId: string | null;
  /** What was called: `GET /shop/v1/orders/{id}` (endpoint `ep_…`), or `server/tool` on a virtual MCP server. */
  target: string;
  /** The exact call the digest covers (less the caller). */
  bound: Omit<BoundCall, 'caller'>;
  /** The body's size as sent. */
  bodyBytes: number;
  /** The body or MCP arguments as the approver reads them (see approverText). */
  text: string;
  textBytes: number;
  reason: string | null;
  workflow: string;
  node: string;
  ttlSeconds: number;
}

/** Where held calls go and approvals are spent: the store, through the node that runs the gateway. */
export interface ApprovalDesk {
  /** The live decision for a call's digest (from the snapshot). */
  decision(digest: string): ApprovalDecision | undefined;
  /** Records a pending approval (or finds the one this node already opened for the digest). */
  request(call: ApprovalRequest): Promise<{ id: string; url: string; expiresAt: string }>;
  /**
   * Spends an approved approval, atomically across nodes (a conditional update: approved →
   * used); false when another call spent it first or it expired.
   */
  consume(id: string): Promise<boolean>;
}

/** What guardrail nodes use of the gateway: the classifier client, and the approval desk (null where no call is held: dry runs). */
export interface GuardrailServices {
  classify(url: string, text: string, phase: 'request' | 'response', timeoutMs: number, allowPrivate: boolean): Promise<number>;
  approvals: ApprovalDesk | null;
  /** Counts an outcome (metrics): `kind` is what was found (`email`), `none` for a policy decision; `n` how many. */
  report(type: string, outcome: string, kind: string, n: number): void;
  close(): Promise<void>;
}

/** Where the gateway reports guardrail outcomes (the node's Prometheus counters). */
export type GuardrailReport = (type: string, outcome: string, kind: string, n: number) => void;
