import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { InteropUpstream } from './interop.js';
import { freePort } from './free-port.js';

const SCRIPT = new URL('./fastmcp_upstream.py', import.meta.url).pathname;
const PYTHON = process.env.PYTHON ?? 'python3';

/** Whether Python's official `mcp` package can be imported here (else the Python corpus entries skip). */
export function pythonMcpAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import mcp'], { stdio: 'ignore', timeout: 20_000 });
  if (probe.status === 0) return true;
  console.warn(`SKIP: Python's mcp package is not importable by ${PYTHON} (pip install mcp); the Python MCP server entries of the interop corpus are skipped`);
  return false;
}

/** Runs the script on `port` until uvicorn says it serves. */
async function spawnAt(port: number, mode: 'stateless' | 'stateful', timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(PYTHON, [SCRIPT, String(port), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Python MCP server did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (c: Buffer) => {
      output += c.toString();
      if (output.includes('Uvicorn running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Python MCP server exited (${code}): ${output}`));
    });
  });
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

/** Starts test/support/fastmcp_upstream.py (FastMCP over Streamable HTTP) stateless or stateful; `restart` kills it (SIGKILL) and starts it again on the same port. */
export async function startFastMcp(mode: 'stateless' | 'stateful', timeoutMs = 30_000): Promise<InteropUpstream> {
  const port = await freePort();
  let child = await spawnAt(port, mode, timeoutMs);
  return {
    name: `python-${mode}`,
    url: `http://127.0.0.1:${port}/mcp`,
    restart: async () => {
      await stop(child, 'SIGKILL');
      child = await spawnAt(port, mode, timeoutMs);
    },
    close: () => stop(child),
  };
}
