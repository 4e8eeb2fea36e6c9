import { AsyncResource } from 'node:async_hooks';

let pin: object | null = null;

/**
 * Keeps the hidden classes (V8 maps) of Node's `process.nextTick` queue entries alive for the life
 * of the process. nextTick builds each entry as `{ [async_id_symbol], [trigger_async_id_symbol],
 * callback, args }`, and V8 records the map it saw at each computed key only weakly. When the
 * gateway sits idle, no entry is alive, and V8's memory reducer runs full collections that free
 * maps with no live object; the next nextTick finds its recorded map gone, and V8 marks those
 * sites megamorphic for good. From then on every entry (several per proxied call: node:http and
 * streams defer their callbacks with nextTick) is built through the runtime: measured, ~3.5 µs of
 * main-thread CPU a call and 7–13 % of throughput, until the process restarts. One object of the
 * exact same shape, never freed, keeps the maps alive. Node exports neither symbol, but every
 * AsyncResource carries both.
 */
export function pinTickShape(): void {
  if (pin !== null) return;
  const symbols = Object.getOwnPropertySymbols(new AsyncResource('GatehouseTickShape'));
  const asyncId = symbols.find((s) => s.description === 'async_id_symbol');
  const triggerId = symbols.find((s) => s.description === 'trigger_async_id_symbol');
  // Another Node.js that names them differently: nothing to pin, and nothing breaks.
  if (asyncId === undefined || triggerId === undefined) return;
  // The same keys in the same order, and heap numbers as nextTick's ids are: the same maps, not a sibling chain.
  pin = { [asyncId]: 0.5, [triggerId]: 0.5, callback: pinTickShape, args: undefined };
}

/** The pinned object (null before pinTickShape, or where Node's symbols were not found): for tests. */
export function tickShapePin(): object | null {
  return pin;
}
