import type { Client } from '@modelcontextprotocol/client';
import type { StdioLaunch } from '../../core/index.js';
import { loadClientSdk } from './client-sdk.js';
import { GroupStdioTransport } from './stdio-process.js';
import { scrub } from './upstream-errors.js';

// What of a one-off child's stderr is kept to explain a failure (its last characters).
const STDERR_TAIL_CHARS = 1_000;
// How long the end of a stopped child is waited for (its group gets SIGTERM, then SIGKILL 2 s later).
const ENDED_WAIT_MS = 5_000;

/** Why a one-off child failed: what it said, its stderr's tail (secrets cut out of both). */
export class StdioOnceError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/**
 * Runs `use` with a client of a child of its own, started for this alone (never the supervisor's
 * shared child, whose restarts and backoff it must not disturb): spawned as the supervisor spawns
 * (its own process group, no shell, none of the gateway's environment), bounded by `timeoutMs` from
 * start to answer, and stopped afterwards, whatever happened (stdin closed, then SIGTERM, then
 * SIGKILL to its group: nothing of it is left when this returns).
 */
export async function withStdioOnce<T>(
  launch: StdioLaunch,
  opts: { timeoutMs: number; maxMessageBytes: number },
  use: (client: Client, request: { signal: AbortSignal; timeout: number }) => Promise<T>,
): Promise<T> {
  const { Client } = await loadClientSdk();
  const transport = new GroupStdioTransport({
    command: launch.command,
    args: [...launch.args],
    env: { ...launch.env },
    ...(launch.cwd !== undefined ? { cwd: launch.cwd } : {}),
    maxBufferSize: opts.maxMessageBytes,
  });
  let stderr = '';
  transport.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  const client = new Client({ name: 'gatehouse-probe', version: '1' });
  const signal = AbortSignal.timeout(opts.timeoutMs);
  // A child that never completes the handshake is killed when the time is up, not left waiting.
  const onTimeout = () => transport.kill('SIGKILL');
  signal.addEventListener('abort', onTimeout, { once: true });
  try {
    await client.connect(transport, { signal, timeout: opts.timeoutMs });
    return await use(client, { signal, timeout: opts.timeoutMs });
  } catch (err) {
    const said = scrub(err instanceof Error ? err.message : String(err), launch.secrets).slice(0, 500);
    const tail = scrub(stderr.trim(), launch.secrets);
    throw new StdioOnceError(tail ? `${said} (its stderr: ${tail})` : said, signal.aborted);
  } finally {
    signal.removeEventListener('abort', onTimeout);
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    // The close may have been the SDK's (on abort), not awaited here: the child is waited for all the
    // same, bounded (a process that left the group may hold its pipes open for good).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([transport.ended(), new Promise((r) => (timer = setTimeout(r, ENDED_WAIT_MS)))]);
    clearTimeout(timer);
  }
}
