import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { StreamOperation } from '../../management/operation.js';
import type { Registry } from '../../management/registry.js';
import { connect } from '../connect.js';
import { type FieldFlag, flagsOf, flagValue } from '../flags.js';
import { fail } from '../output.js';

/** Counts lines and bytes as they pass, reporting on stderr (redrawn on a terminal, a final line always). */
function progress(label: string): { counter: Transform; finish(): void } {
  const started = Date.now();
  let bytes = 0;
  let lines = 0;
  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    return `${label}: ${lines.toLocaleString('en')} lines, ${(bytes / 1_048_576).toFixed(1)} MB in ${seconds.toFixed(1)} s`;
  };
  const tty = process.stderr.isTTY === true;
  const timer = tty ? setInterval(() => process.stderr.write(`\r${line()}`), 250) : undefined;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      done(null, chunk);
    },
  });
  return {
    counter,
    finish() {
      if (timer) clearInterval(timer);
      process.stderr.write(`${tty ? '\r' : ''}${line()}\n`);
    },
  };
}

function exportCommand(program: Command, group: Command, op: StreamOperation, label: string): void {
  const flags = flagsOf(op.input, new Set(['output', 'server', 'local']));
  const cmd = group.command('export').description(op.summary);
  const byAttribute = new Map<string, FieldFlag>();
  for (const f of flags) {
    const option = cmd.createOption(`${f.flag} <value>`, f.description);
    byAttribute.set(option.attributeName(), f);
    cmd.addOption(option);
  }
  cmd
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .option('--server <url>', 'the gateway (GATEHOUSE_SERVER; default: the last login)')
    .option('--local', 'read the local data directory instead of a gateway')
    .action(async () => {
      const opts = cmd.opts<Record<string, unknown> & { output?: string; server?: string; local?: boolean }>();
      try {
        const input: Record<string, unknown> = {};
        for (const [attribute, f] of byAttribute) if (opts[attribute] !== undefined) input[f.field] = flagValue(f, opts[attribute] as string);
        const transport = await connect({ ...program.opts(), ...opts });
        try {
          const source = await transport.stream(op, input);
          const { counter, finish } = progress(label);
          try {
            await pipeline(source, counter, opts.output ? createWriteStream(opts.output) : process.stdout);
          } finally {
            finish();
          }
        } finally {
          await transport.close();
        }
      } catch (err) {
        fail(false, err);
      }
    });
}

/** `gatehouse logs export` and `gatehouse audit export`: every matching entry as NDJSON or CSV, streamed. */
export function logsCommands(program: Command, registry: Registry): void {
  const logs = program.commands.find((c) => c.name() === 'logs') ?? program.command('logs').description('Request logs');
  const audit = program.commands.find((c) => c.name() === 'audit') ?? program.command('audit').description('Inspect the audit trail');
  const requestLogs = registry.stream('request-logs.export');
  const auditLogs = registry.stream('audit-logs.export');
  if (requestLogs) exportCommand(program, logs, requestLogs, 'request logs');
  if (auditLogs) exportCommand(program, audit, auditLogs, 'audit entries');
}
