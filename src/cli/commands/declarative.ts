import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { GatehouseError, type Job } from '../../core/index.js';
import { configJsonSchema } from '../../management/config/json-schema.js';
import { configKinds } from '../../management/config/kinds.js';
import type { Operation } from '../../management/operation.js';
import type { Registry } from '../../management/registry.js';
import { ConfigFileError, type ConfigFile, formatProblem, type LocatedProblem, loadConfigFile } from '../config-file.js';
import { connect } from '../connect.js';
import { jobError, watchJob } from '../job-watch.js';
import type { Transport } from '../transport.js';
import { fail } from '../output.js';

interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  resource: string;
  name: string;
  fields: Array<{ field: string; before?: unknown; after?: unknown }>;
}
interface PlanResult {
  changes: PlannedChange[];
  summary: { create: number; update: number; delete: number };
}

interface DeclarativeFlags {
  file: string;
  prune?: boolean;
  selector?: string;
  server?: string;
  local?: boolean;
  json?: boolean;
  dryRun?: boolean;
}

interface ApplyFlags extends DeclarativeFlags {
  wait?: boolean;
  detach?: boolean;
  sync?: boolean;
  answerWithin?: string;
}

/** How long `apply` lets the gateway finish before taking a job to watch: a small apply answers as it always did. */
const APPLY_WAIT_SECONDS = 3;

/** `--answer-within`: whole seconds, 0 to 300. */
function answerWithin(raw: string | undefined): number {
  if (raw === undefined) return APPLY_WAIT_SECONDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 300) throw new GatehouseError('GATEHOUSE_BAD_REQUEST', '--answer-within takes whole seconds from 0 to 300.');
  return n;
}

const MARK = { create: '+', update: '~', delete: '-' } as const;
const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/** A plan for people: one line per change, the changed fields of updates under it, and a count. */
export function renderPlan(plan: PlanResult): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    lines.push(`${MARK[c.action]} ${c.action} ${c.resource} ${c.name}`);
    if (c.action === 'update') for (const f of c.fields) lines.push(`    ${f.field}: ${show(f.before)} → ${show(f.after)}`);
  }
  const { create, update, delete: del } = plan.summary;
  lines.push(`Plan: ${create} to create, ${update} to change, ${del} to delete.`);
  return lines.join('\n');
}

/** The gateway's problems with a file, each placed on its line. */
function locateProblems(file: ConfigFile, err: GatehouseError): LocatedProblem[] | null {
  if (!Array.isArray(err.details)) return null;
  const problems = (err.details as Array<{ path?: unknown; message?: unknown }>).filter((d) => typeof d.path === 'string' && typeof d.message === 'string');
  if (problems.length === 0) return null;
  return problems.map((d) => ({ path: String(d.path), message: String(d.message), ...file.locate(String(d.path)) }));
}

/** Reports a failed plan or apply on stderr; file problems name their lines. Exit code 1. */
function report(json: boolean, err: unknown, file?: ConfigFile): void {
  const located = err instanceof ConfigFileError ? err.problems : file && err instanceof GatehouseError ? locateProblems(file, err) : null;
  const name = err instanceof ConfigFileError ? err.file : (file?.name ?? '');
  if (located) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const code = err instanceof GatehouseError ? err.code : 'GATEHOUSE_VALIDATION_FAILED';
    process.stderr.write(
      json
        ? `${JSON.stringify({ error: { code, message, file: name, problems: located } })}\n`
        : `error: ${err instanceof ConfigFileError ? 'the config file cannot be read' : message}\n${located.map((p) => `  ${formatProblem(name, p)}`).join('\n')}\n`,
    );
  } else {
    fail(json, err);
  }
  process.exitCode = 1;
}

function readFile(path: string): ConfigFile {
  return loadConfigFile(path, () => readFileSync(0, 'utf8'));
}

/** A spinner with elapsed time on stderr while the gateway works, only on a terminal. */
function progress(label: string): { done(): void } {
  if (!process.stderr.isTTY) return { done: () => {} };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const started = Date.now();
  let n = 0;
  const draw = () => process.stderr.write(`\r${frames[n++ % frames.length]} ${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  draw();
  const timer = setInterval(draw, 100);
  return {
    done() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    },
  };
}

/** A progress bar over the changes as they are listed after commit (the apply itself is one transaction). */
function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

function mustOp(registry: Registry, name: string): Operation {
  const op = registry.get(name);
  if (!op) throw new Error(`this build has no ${name} operation`);
  return op;
}

/** `gatehouse export`, `plan`, `apply` and `config schema`: the gateway's config as a file in Git. */
export function declarativeCommands(program: Command, registry: Registry): void {
  const common = (cmd: Command) =>
    cmd
      .option('--selector <terms>', 'only these top-level items and what lives in them: SECTION or SECTION=NAME (* wildcards), comma-separated')
      .option('--server <url>', 'the gateway (GATEHOUSE_SERVER; default: the last login)')
      .option('--local', 'work on the local data directory instead of a gateway, as a local admin')
      .option('--json', 'print JSON for machines');

  common(program.command('export').description('Print the gateway’s declarative config as YAML: sorted, by name, never an id or a secret'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (opts: Omit<DeclarativeFlags, 'file'> & { output?: string }) => {
      const json = opts.json === true;
      try {
        const transport = await connect({ ...program.opts(), ...opts });
        try {
          const doc = await transport.run(mustOp(registry, 'config.export'), opts.selector ? { selector: opts.selector } : {});
          const text = json ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 });
          if (opts.output) writeFileSync(opts.output, text);
          else process.stdout.write(text);
        } finally {
          await transport.close();
        }
      } catch (err) {
        fail(json, err);
      }
    });

  const planLike = (name: 'plan' | 'apply', description: string) =>
    common(program.command(name).description(description))
      .requiredOption('-f, --file <file>', 'the config file (YAML or JSON; - for stdin)')
      .option('--prune', 'also delete what the file does not list (within the selector)');

  /** Reads the file, connects, runs `fn`; any failure is reported (lines named) with exit code 1. */
  const withFile = async (
    opts: DeclarativeFlags,
    fn: (file: ConfigFile, run: (name: string, input: Record<string, unknown>, dryRun?: boolean) => Promise<unknown>, transport: Transport) => Promise<void>,
  ) => {
    const json = opts.json === true;
    let file: ConfigFile | undefined;
    try {
      const loaded = readFile(opts.file);
      file = loaded;
      const transport = await connect({ ...program.opts(), ...opts });
      try {
        await fn(loaded, (name, input, dryRun) => transport.run(mustOp(registry, name), input, { dryRun: dryRun === true }), transport);
      } finally {
        await transport.close();
      }
    } catch (err) {
      report(json, err, file);
    }
  };
  const planInput = (file: ConfigFile, opts: DeclarativeFlags) => ({
    document: file.value,
    prune: opts.prune === true,
    ...(opts.selector ? { selector: opts.selector } : {}),
  });

  planLike('plan', 'Show what apply would create, change and delete. Exit code 0: nothing; 2: changes; 1: error').action((opts: DeclarativeFlags) =>
    withFile(opts, async (file, run) => {
      const plan = (await run('config.plan', planInput(file, opts))) as PlanResult;
      if (opts.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else if (plan.changes.length > 0) process.stdout.write(`${renderPlan(plan)}\n`);
      process.exitCode = plan.changes.length > 0 ? 2 : 0;
    }),
  );

  planLike('apply', 'Make the gateway match the file, all or nothing (one transaction, each change audited); runs as a job, showing its progress')
    .option('--dry-run', 'run every change and roll all of them back')
    .option('--wait', 'run as a job and follow its progress until it ends (the default)')
    .option('--detach', 'start the apply as a job, print its id and exit; `gatehouse jobs watch <id>` follows it')
    .option('--sync', 'one request that answers when the apply is done, without a job (a gateway from before jobs)')
    .option(
      '--answer-within <seconds>',
      `how long the gateway may take to answer directly before the apply is followed as a job (default ${APPLY_WAIT_SECONDS}; 0: always a job)`,
    )
    .action((opts: ApplyFlags) =>
      withFile(opts, async (file, run, transport) => {
        if (opts.detach && opts.wait) throw new GatehouseError('GATEHOUSE_BAD_REQUEST', '--detach and --wait exclude each other.');
        const direct = opts.dryRun === true || opts.sync === true;
        const spinner = opts.json ? { done() {} } : progress(opts.dryRun ? 'Checking the changes' : 'Applying');
        let out: unknown;
        let job: Job | null = null;
        try {
          if (direct) out = await run('config.apply', planInput(file, opts), opts.dryRun);
          else {
            // A small apply is answered within the wait, as it always was; a large one comes back as a job.
            const started = await transport.start(mustOp(registry, 'config.apply'), planInput(file, opts), opts.detach ? 0 : answerWithin(opts.answerWithin));
            if ('job' in started) job = started.job;
            else out = started.result;
          }
        } finally {
          spinner.done();
        }
        if (job && opts.detach) {
          if (opts.json) process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
          else process.stdout.write(`Started job ${job.id}. Follow it with: gatehouse jobs watch ${job.id}\n`);
          return;
        }
        if (job) {
          const done = await watchJob(transport, mustOp(registry, 'jobs.get'), job.id, {
            tty: process.stderr.isTTY === true,
            write: (t) => process.stderr.write(t),
          });
          if (done.state !== 'succeeded') throw jobError(done);
          out = done.result;
        }
        const plan = (opts.dryRun ? (out as { result: PlanResult }).result : out) as PlanResult;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...plan, applied: !opts.dryRun }, null, 2)}\n`);
        } else if (plan.changes.length === 0) {
          process.stdout.write('No changes: the gateway already matches the file.\n');
        } else {
          if (process.stderr.isTTY) process.stderr.write(`${bar(plan.changes.length, plan.changes.length)}\n`);
          process.stdout.write(`${renderPlan(plan)}\n${opts.dryRun ? 'Dry run: nothing was changed.' : 'Applied.'}\n`);
        }
      }),
    );

  const config = program.commands.find((c) => c.name() === 'config') ?? program.command('config').description('Declarative config files');
  config
    .command('schema')
    .description('Print the JSON Schema of config files (for editor completion and validation)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(configKinds(registry.all())), null, 2)}\n`);
    });
}
