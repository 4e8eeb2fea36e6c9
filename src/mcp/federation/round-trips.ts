import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { GatehouseError } from '../../core/index.js';
import type { RelayedRequest, RelaySink } from '../../gateway/federation/index.js';
import { isPlain } from '../kit/protocol.js';

interface Asked {
  method: RelayedRequest;
  params: Record<string, unknown> | undefined;
  resolve(result: Record<string, unknown>): void;
  reject(err: Error): void;
}

/** What a leg of a round-trip call ends with: the call's result, or the upstream's questions for the caller. */
export type Leg = { result: CallToolResult } | { inputRequests: Record<string, { method: string; params?: Record<string, unknown> }> };

/**
 * One relayed call of a 2026-07-28 caller, which answers the upstream's requests by retrying the call
 * (`input_required`, then `inputResponses` with the `requestState` it was given) rather than on a
 * stream: the upstream call keeps running on this node between legs.
 */
class RoundTrip {
  readonly #asked = new Map<string, Asked>();
  #sent = new Set<string>();
  #n = 0;
  #outcome: { result: CallToolResult } | { error: unknown } | null = null;
  #wake: (() => void) | null = null;
  /** Where the current leg's notifications go (its answer's stream), while a leg is open. */
  #heard: ((method: string, params: Record<string, unknown> | undefined) => void) | undefined;
  readonly sink: RelaySink;
  /** Settles when the upstream call ends, however it ends. */
  readonly done: Promise<unknown>;

  constructor(
    readonly subject: string,
    run: (sink: RelaySink) => Promise<CallToolResult>,
  ) {
    this.sink = {
      request: (method, params) =>
        new Promise((resolve, reject) => {
          this.#asked.set(`q${++this.#n}`, { method, params, resolve, reject });
          this.#poke();
        }),
      // A leg answered on an event stream hears what the upstream says meanwhile (its log messages);
      // one answered with a JSON body, or none open, has nowhere to put it.
      notify: (method, params) => this.#heard?.(method, params),
    };
    this.done = run(this.sink).then(
      (result) => this.#settle({ result }),
      (error: unknown) => this.#settle({ error }),
    );
  }

  #settle(outcome: { result: CallToolResult } | { error: unknown }): void {
    this.#outcome = outcome;
    for (const asked of this.#asked.values()) asked.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The call ended before the client answered.'));
    this.#asked.clear();
    this.#poke();
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Hands the caller's answers (`inputResponses`, keyed as asked) to the questions waiting for them. */
  answer(responses: Record<string, unknown>): void {
    for (const [key, response] of Object.entries(responses)) {
      const asked = this.#asked.get(key);
      if (!asked || !this.#sent.has(key)) continue;
      this.#asked.delete(key);
      if (isPlain(response)) asked.resolve(response);
      else asked.reject(new GatehouseError('GATEHOUSE_MCP_UPSTREAM_ERROR', 'The client gave no answer to the request.'));
    }
  }

  /** Sets where the open leg's notifications go (undefined: nowhere). */
  hear(to: ((method: string, params: Record<string, unknown> | undefined) => void) | undefined): void {
    this.#heard = to;
  }

  /** Waits for the call to end or to ask something not yet asked of the caller. */
  async next(): Promise<Leg> {
    for (;;) {
      const outcome = this.#outcome;
      if (outcome) {
        if ('error' in outcome) throw outcome.error;
        return outcome;
      }
      const fresh = [...this.#asked].filter(([key]) => !this.#sent.has(key));
      if (fresh.length > 0) {
        for (const [key] of fresh) this.#sent.add(key);
        // Every open question goes with the leg: the caller answers them all in its retry.
        return {
          inputRequests: Object.fromEntries([...this.#asked].map(([key, a]) => [key, { method: a.method, ...(a.params ? { params: a.params } : {}) }])),
        };
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}

/**
 * The round-trip calls this node runs, by the `requestState` their caller retries with (an
 * unguessable id, good only for the caller it was given to). Session-affine like relayed streams:
 * the retry must reach this node. Bounded in number; each is forgotten when its call ends.
 */
export class RoundTrips {
  readonly #trips = new Map<string, RoundTrip>();

  constructor(private readonly max = 256) {}

  /** Starts a call; its first leg follows from `next`. */
  start(subject: string, run: (sink: RelaySink) => Promise<CallToolResult>): { id: string; trip: RoundTrip } {
    if (this.#trips.size >= this.max)
      throw new GatehouseError('GATEHOUSE_RATE_LIMITED', 'Too many calls are waiting for their callers on this node; try again shortly.');
    const id = `gatehouse-${randomUUID()}`;
    const trip = new RoundTrip(subject, run);
    this.#trips.set(id, trip);
    // A caller that never comes back for the result: forgotten a minute after the call ended.
    void trip.done.then(() => setTimeout(() => this.#trips.delete(id), 60_000).unref());
    return { id, trip };
  }

  /** The call a retry continues, when it is this caller's and still running here. */
  continued(id: string, subject: string): RoundTrip | undefined {
    const trip = this.#trips.get(id);
    return trip?.subject === subject ? trip : undefined;
  }

  /** The next leg of a call: its result (the call is then forgotten) or its questions; `hear` gets the leg's notifications while it is open. */
  async leg(id: string, trip: RoundTrip, hear?: (method: string, params: Record<string, unknown> | undefined) => void): Promise<Leg> {
    trip.hear(hear);
    try {
      const leg = await trip.next();
      if ('result' in leg) this.#trips.delete(id);
      return leg;
    } catch (err) {
      this.#trips.delete(id);
      throw err;
    } finally {
      trip.hear(undefined);
    }
  }
}
