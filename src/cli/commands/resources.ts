import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { Operation } from '../../management/operation.js';
import type { Registry } from '../../management/registry.js';
import { connect } from '../connect.js';
import { type FieldFlag, flagsOf, flagValue } from '../flags.js';
import { fail, print } from '../output.js';
import { human } from '../render.js';
import { readStdin } from './scope.js';

/** Flags that belong to the command, not to the operation's input. */
const RESERVED = new Set(['json', 'file', 'server', 'local', 'dryRun', 'all', 'dataDir', 'help']);
/** Resources with commands of their own (export / plan / apply). */
const OWN_COMMANDS = new Set(['config']);

/**
 * The command group of a resource: nested under another resource's group when the admin API lists
 * it under that resource's items (`/proxies/{proxyId}/endpoints` → `gatehouse proxies endpoints`).
 */
function groupPath(registry: Registry, resource: string): string[] {
  const list = registry.get(`${resource}.list`);
  const parent = list && /^\/([\w-]+)\/\{\w+\}\//.exec(list.http.path)?.[1];
  return parent && parent !== resource ? [...groupPath(registry, parent), resource] : [resource];
}

function subcommand(parent: Command, name: string, description: string): Command {
  return parent.commands.find((c) => c.name() === name) ?? parent.command(name).description(description);
}

async function fileInput(path: string): Promise<Record<string, unknown>> {
  const text = path === '-' ? await readStdin() : readFileSync(path, 'utf8');
  const value: unknown = parseYaml(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path} must hold a JSON or YAML object`);
  return value as Record<string, unknown>;
}

interface CommandOptions extends Record<string, unknown> {
  json?: boolean;
  file?: string;
  server?: string;
  local?: boolean;
  dryRun?: boolean;
  all?: boolean;
}

function addOperation(program: Command, group: Command, op: Operation): void {
  const pathParams = [...op.http.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const flags = flagsOf(op.input, new Set([...pathParams, ...RESERVED]));
  const cmd = group.command(op.action).description(`${op.summary}${op.destructive ? ' (destructive)' : ''}`);
  for (const p of pathParams) cmd.argument(`<${p}>`);
  const byAttribute = new Map<string, FieldFlag>();
  for (const f of flags) {
    const option = cmd.createOption(f.kind === 'boolean' ? `${f.flag} [true|false]` : `${f.flag} <value>`, f.description);
    byAttribute.set(option.attributeName(), f);
    cmd.addOption(option);
  }
  cmd
    .option('--file <path>', 'the input as a JSON or YAML file (- for stdin); flags override its fields')
    .option('--server <url>', 'the gateway (GATEHOUSE_SERVER; default: the last login)')
    .option('--local', 'run on the local data directory instead of a gateway, as a local admin')
    .option('--json', 'print JSON for machines');
  if (op.permission !== 'read') cmd.option('--dry-run', 'validate and show the planned change without writing');
  const isList = op.action === 'list' && 'cursor' in ((op.input as { shape?: object }).shape ?? {});
  if (isList) cmd.option('--all', 'follow the cursor and list every page');

  cmd.action(async (...args: unknown[]) => {
    const opts = cmd.opts<CommandOptions>();
    const json = opts.json === true;
    try {
      const input: Record<string, unknown> = opts.file ? await fileInput(opts.file) : {};
      pathParams.forEach((p, i) => {
        input[p] = args[i];
      });
      for (const [attribute, f] of byAttribute) if (opts[attribute] !== undefined) input[f.field] = flagValue(f, opts[attribute] as string | boolean);
      const transport = await connect({ ...program.opts(), ...opts });
      try {
        let result = await transport.run(op, input, { dryRun: opts.dryRun === true });
        if (isList && opts.all) {
          const items = [...((result as { items: unknown[] }).items ?? [])];
          let cursor = (result as { nextCursor: string | null }).nextCursor;
          while (cursor) {
            const page = (await transport.run(op, { ...input, cursor })) as { items: unknown[]; nextCursor: string | null };
            items.push(...page.items);
            cursor = page.nextCursor;
          }
          result = { items, nextCursor: null };
        }
        print(json, result, () => human(result));
      } finally {
        await transport.close();
      }
    } catch (err) {
      fail(json, err);
    }
  });
}

/**
 * One command per registered operation, grouped by resource (`gatehouse collections list`,
 * `gatehouse proxies endpoints create`): names, arguments and flags come from the registry, so a
 * new resource or action appears here with no CLI code. Hand-written commands of the same name win.
 */
export function resourceCommands(program: Command, registry: Registry): void {
  for (const op of registry.all()) {
    if (OWN_COMMANDS.has(op.resource)) continue;
    let group = program;
    for (const name of groupPath(registry, op.resource)) group = subcommand(group, name, `Manage ${name}`);
    if (group.commands.some((c) => c.name() === op.action)) continue;
    addOperation(program, group, op);
  }
}
