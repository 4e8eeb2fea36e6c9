// Module hooks that transpile TypeScript source (types stripped, no type-check) with the
// `typescript` dev dependency, and resolve NodeNext-style `./x.js` imports to `./x.ts`.
// Output is cached on disk by path, size and mtime: loading `typescript` itself is most of a
// worker's start (~0.7 s), and tests start many workers over the same few unchanged files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'gatehouse-ts-worker-cache');
let ts;

async function transpile(fileName) {
  ts ??= (await import('typescript')).default;
  const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, inlineSourceMap: true },
  });
  return outputText;
}

export async function resolve(specifier, context, next) {
  if (context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(url)) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const { size, mtimeMs } = statSync(fileName);
  const cached = join(CACHE, `${createHash('sha256').update(`v1\0${fileName}\0${size}\0${mtimeMs}`).digest('hex')}.js`);
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  const source = await transpile(fileName);
  try {
    mkdirSync(CACHE, { recursive: true });
    // Write then rename, so a concurrent worker never reads half a file.
    const partial = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(partial, source);
    renameSync(partial, cached);
  } catch {
    // A cache that cannot be written only costs speed.
  }
  return { format: 'module', source, shortCircuit: true };
}
