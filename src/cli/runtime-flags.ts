import cluster from 'node:cluster';

/**
 * V8 flags `serve` runs with (bench/README.md, "Memory: serve's runtime settings"). Node 24 lets the
 * young generation grow to 2 × 64 MB semi-spaces once the heap is large; 8 MB keeps it at 16 MB
 * resident. Since proxied calls allocate less, twice the scavenges of a 16 MB cap measured no CPU
 * per call apart from it (56.6 vs 57.0 µs, interleaved rounds, 25 Nov 2026); V8 rounds the size to
 * a power of two, so nothing lies between. Maglev, V8's middle compiler, compiles dozens of
 * functions at once as load starts: its zones (malloc) peaked near 40 MB, which glibc keeps;
 * without it hot code goes from the baseline compiler to TurboFan, at the same CPU per call once
 * warm and ~10 MB less RSS under load. V8 lets the old generation grow up to 4× what the last full
 * collection left before it collects again: an MCP client inspecting a large estate took a node
 * with 85 MB live to 350 MB of heap between collections. 1.5× keeps it near 130 MB; a proxied call
 * leaves next to nothing in the old generation, so full collections stay rare there.
 */
const SERVE_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50', '--no-maglev'];
/**
 * Environment for the process (glibc's malloc; other C libraries ignore it): glibc keeps one arena
 * per thread (8 × cores at most) and rarely returns their memory. Fixed mmap/trim thresholds
 * (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) saved more on a large estate but cost ~40 % more
 * CPU per proxied call (bench/README.md): they are the operator's to set.
 */
const SERVE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
/** Set in the re-executed process: it never re-executes itself again, whatever the flags came to. */
const MARKER = 'GATEHOUSE_NODE_FLAGS_APPLIED';

/** What re-executing would add: flags and environment the operator has not set. */
export interface RuntimePlan {
  flags: string[];
  env: Record<string, string>;
}

/** The flag's name, with V8's `_` spelling folded to `-` and a `--no-` negation to the flag it negates (`--maglev` decides `--no-maglev`). */
function flagName(arg: string): string {
  return (arg.split('=', 1)[0]?.replaceAll('_', '-') ?? arg).replace(/^--no-/, '--');
}

/**
 * The flags and environment `serve` would re-execute with, or null when there is nothing to add or
 * the operator opted out (`GATEHOUSE_NODE_FLAGS=off`). A flag the operator passed on the command
 * line or in NODE_OPTIONS wins, and so does a variable already in the environment.
 */
export function runtimePlan(env: NodeJS.ProcessEnv, execArgv: readonly string[]): RuntimePlan | null {
  if (env[MARKER] !== undefined || env.GATEHOUSE_NODE_FLAGS === 'off') return null;
  const given = new Set([...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName));
  const flags = SERVE_NODE_FLAGS.filter((f) => !given.has(flagName(f)));
  const added = Object.fromEntries(Object.entries(SERVE_ENV).filter(([k]) => env[k] === undefined));
  return flags.length === 0 && Object.keys(added).length === 0 ? null : { flags, env: added };
}

/** Whether a command line (after `gatehouse`) runs `serve`: its first word, after the global `--data-dir <dir>`. */
export function servesGateway(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') i++;
    else if (!args[i]?.startsWith('-')) return args[i] === 'serve';
  }
  return false;
}

/**
 * Re-executes this process (same pid, through `process.execve`) with `serve`'s runtime settings
 * when they are not in effect yet; returns when they are, or when they cannot be applied here:
 * Node without execve (before 22.15/23.11, Windows), a cluster worker (it inherits the primary's
 * flags) or a process with an IPC channel (execve would close it). V8's heap sizes and glibc's
 * arenas are fixed at process start, so a new process is the only way to set them from inside.
 */
export function applyServeRuntime(): void {
  const reexecuted = process.env[MARKER] !== undefined;
  // Children of this process (stdio MCP servers, a nested `serve`) decide for themselves.
  delete process.env[MARKER];
  if (reexecuted || typeof process.execve !== 'function' || cluster.isWorker || process.channel !== undefined) return;
  const plan = runtimePlan(process.env, process.execArgv);
  if (plan === null) return;
  const argv = [process.execPath, ...plan.flags, ...process.execArgv, ...process.argv.slice(1)];
  process.execve(process.execPath, argv, { ...process.env, ...plan.env, [MARKER]: '1' });
}
