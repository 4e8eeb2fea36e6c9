import { type ChildProcess, spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage, ReadBuffer, Transport } from '@modelcontextprotocol/client';
import { clientSdk } from './client-sdk.js';

export interface StdioProcessOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** The largest stdout message buffered, in bytes (the SDK's reader throws past it). */
  maxBufferSize: number;
}

/** How long a child has to end after its stdin closes, then after SIGTERM, before the next step. */
const GRACE_MS = 2_000;

/** Sends `signal` to the whole process group `pid` leads; false when no process of it is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (signalGroup(pid, 0)) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 50).unref());
  }
  return true;
}

/**
 * The stdio client transport of a supervised child, run in a process group of its own: spawned
 * detached (a new session, never through a shell), so a signal sent to the group reaches what the
 * program started — the server a package runner (`npx`, `uvx`) or a wrapper script runs — and not
 * only the program itself. Otherwise the SDK's StdioClientTransport: newline-delimited JSON-RPC,
 * the same bounded reader, stderr piped from the start.
 */
export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #process: ChildProcess | undefined;
  #pid: number | null = null;
  #ended: Promise<void> = Promise.resolve();
  readonly #buffer: ReadBuffer;
  readonly #stderr = new PassThrough();

  /** Made once the client SDK is loaded (the supervisor loads it before it starts a child). */
  constructor(private readonly opts: StdioProcessOptions) {
    const { ReadBuffer } = clientSdk();
    this.#buffer = new ReadBuffer({ maxBufferSize: opts.maxBufferSize });
  }

  /** The child's stderr, available before it starts so no early line is lost. */
  get stderr(): PassThrough {
    return this.#stderr;
  }

  /** The process id of the child (and of its group), once started and until it is closed. */
  get pid(): number | null {
    return this.#process ? this.#pid : null;
  }

  async start(): Promise<void> {
    if (this.#process) throw new Error('the stdio transport is already started');
    const { getDefaultEnvironment } = await import('@modelcontextprotocol/client/stdio');
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.command, this.opts.args, {
        env: { ...getDefaultEnvironment(), ...this.opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: true,
        ...(this.opts.cwd !== undefined ? { cwd: this.opts.cwd } : {}),
      });
      this.#process = child;
      this.#ended = new Promise((ended) => child.once('close', () => ended()));
      child.on('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.on('spawn', () => {
        this.#pid = child.pid ?? null;
        resolve();
      });
      // The program ended on its own: what it started goes with it (a runner's server would hold the pipes open).
      child.on('exit', () => {
        const pid = this.#pid;
        if (pid !== null && this.#process === child && signalGroup(pid, 'SIGTERM')) {
          setTimeout(() => signalGroup(pid, 'SIGKILL'), GRACE_MS).unref();
        }
      });
      child.on('close', () => {
        if (this.#process === child) this.#process = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.#buffer.append(chunk);
        } catch (error) {
          // Over the message limit: said (the supervisor kills the child for it), then closed.
          this.onerror?.(error as Error);
          void this.close();
          return;
        }
        this.#drain();
      });
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stderr?.pipe(this.#stderr);
    });
  }

  /** Hands on every complete message; a line that is JSON but not JSON-RPC is reported and skipped. */
  #drain(): void {
    for (;;) {
      try {
        const message = this.#buffer.readMessage();
        if (message === null) return;
        this.onmessage?.(message);
      } catch (error) {
        this.onerror?.(error as Error);
      }
    }
  }

  /** Settles once the child has exited and its pipes are closed (at once when none was started). */
  ended(): Promise<void> {
    return this.#ended;
  }

  /** Signals the child's whole process group (SIGKILL for a hung child or one over its output limit). */
  kill(signal: NodeJS.Signals): void {
    if (this.#pid !== null) signalGroup(this.#pid, signal);
  }

  /** Closes stdin, then signals the group: SIGTERM after 2 s, SIGKILL after 2 more, until none of it is left. */
  async close(): Promise<void> {
    const child = this.#process;
    const pid = this.#pid;
    this.#process = undefined;
    if (child && pid !== null) {
      try {
        child.stdin?.end();
      } catch {
        // Already closed.
      }
      if (!(await groupGone(pid, GRACE_MS))) {
        signalGroup(pid, 'SIGTERM');
        if (!(await groupGone(pid, GRACE_MS))) signalGroup(pid, 'SIGKILL');
      }
    }
    this.#buffer.clear();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.#process?.stdin;
      const { SdkError, SdkErrorCode, serializeMessage } = clientSdk();
      if (!stdin) return reject(new SdkError(SdkErrorCode.NotConnected, 'Not connected'));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }
}
