import type { Tool } from '@modelcontextprotocol/server';
import type { DefinitionFindings } from './definition-guard.js';
import { DefinitionScanThread, type ScanKind } from './definition-scan-thread.js';

/** The tool-definition scan: findings for a tool, a prompt or a resource as a model would be shown it, read off the event loop. */
export interface DefinitionScan {
  definitionFindings(tool: Tool): Promise<DefinitionFindings | null>;
  promptFindings(prompt: { name: string; title?: string; description?: string; arguments?: unknown }): Promise<DefinitionFindings | null>;
  resourceFindings(resource: { name: string; title?: string; description?: string; uri?: string; uriTemplate?: string }): Promise<DefinitionFindings | null>;
  /** An upstream's `instructions`, which a client puts before the model (see instructionsFindings). */
  instructionsFindings(text: string): Promise<DefinitionFindings | null>;
}

let inlineScan: Promise<typeof import('./definition-guard.js')> | undefined;

/** The scan on this thread, imported with its first use: it brings the prompt-injection engine (~0.3 s, ~15 MB). */
async function readHere(kind: ScanKind, value: unknown): Promise<DefinitionFindings | null> {
  inlineScan ??= import('./definition-guard.js');
  const guard = await inlineScan;
  if (kind === 'tool') return guard.definitionFindings(value as Tool);
  if (kind === 'instructions') return guard.instructionsFindings(value as string);
  return kind === 'prompt'
    ? guard.promptFindings(value as Parameters<typeof guard.promptFindings>[0])
    : guard.resourceFindings(value as Parameters<typeof guard.resourceFindings>[0]);
}

// Findings by the definition as sent (its JSON): a list read again on every `prompts/list`, or
// pins read again on every status call, costs a lookup, not a scan. Bounded in entries and text.
const CACHE_ENTRIES = 4_096;
const CACHE_CHARS = 16 * 1_048_576;
const cache = new Map<string, DefinitionFindings | null>();
let cachedChars = 0;

function remember(key: string, found: DefinitionFindings | null): void {
  if (key.length > CACHE_CHARS / 16) return;
  cache.set(key, found);
  cachedChars += key.length;
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHE_ENTRIES && cachedChars <= CACHE_CHARS) break;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
}

let thread: DefinitionScanThread | undefined;

/** One definition's findings: remembered, else read on the scan thread (the first read starts it). */
async function scanned(kind: ScanKind, value: unknown): Promise<DefinitionFindings | null> {
  const key = `${kind}\0${JSON.stringify(value)}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  thread ??= new DefinitionScanThread(readHere);
  const found = await thread.scan(kind, value);
  remember(key, found);
  return found;
}

/**
 * The scan, as its users reach it (a virtual server's or REST tool's pins, a curated prompt or
 * resource list). A definition of the largest size takes some 200 ms to read, past what any
 * input may hold the event loop, so it is read on a thread of its own, started with the first
 * read rather than at start (a node that fronts no MCP server never needs it).
 */
export const definitionScan: DefinitionScan = {
  definitionFindings: (tool) => scanned('tool', tool),
  promptFindings: (prompt) => scanned('prompt', prompt),
  resourceFindings: (resource) => scanned('resource', resource),
  instructionsFindings: (text) => scanned('instructions', text),
};
