import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './free-port.js';

/** A running `@modelcontextprotocol/server-everything` (the MCP reference server), over Streamable HTTP. */
export interface EverythingUpstream {
  /** Its Streamable HTTP endpoint (`/mcp`), on 127.0.0.1. */
  url: string;
  /** Kills it and starts it again on the same port: every session it held is gone. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const CLI = new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url).pathname;
const LOOPBACK = new URL('./loopback-listen.mjs', import.meta.url).pathname;

/** Runs the CLI on `port` until it says it listens. */
async function spawnAt(port: number, timeoutMs: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', LOOPBACK, CLI, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (c: Buffer) => {
      output += c.toString();
      if (output.includes('listening on port')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited (${code}): ${output}`));
    });
  });
  // It logs every request; the pipes are drained so it never blocks on a full one.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Starts the reference server with its own CLI (`streamableHttp` mode; it listens on `$PORT`),
 * bound to loopback. Stateful: each client gets an `Mcp-Session-Id`. `restart` kills it (SIGKILL)
 * and starts it again on the same port, its sessions gone.
 */
export async function startEverything(timeoutMs = 30_000): Promise<EverythingUpstream> {
  const port = await freePort();
  let child = await spawnAt(port, timeoutMs);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    restart: async () => {
      await stop(child, 'SIGKILL');
      child = await spawnAt(port, timeoutMs);
    },
    close: () => stop(child),
  };
}
