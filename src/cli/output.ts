import { GatehouseError } from '../core/index.js';

/** Prints a result as JSON (`--json`) or as the human text given. */
export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Reports a failure on stderr (JSON with `--json`) and sets a non-zero exit code. */
export function fail(json: boolean, err: unknown): void {
  const gh = err instanceof GatehouseError ? err : null;
  const body = { error: { code: gh?.code ?? 'GATEHOUSE_INTERNAL', message: err instanceof Error ? err.message : String(err), details: gh?.details } };
  process.stderr.write(json ? `${JSON.stringify(body)}\n` : `error: ${body.error.message}${gh?.details ? `\n${JSON.stringify(gh.details, null, 2)}` : ''}\n`);
  process.exitCode = gh && gh.status < 500 ? 2 : 1;
}
