import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

// Text formats only: images and fonts are compressed already and would not shrink.
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json']);

/**
 * Writes `name.gz` and `name.br` beside every text file of the build once it is written, at the
 * highest levels (done once per build, not per request), for the gateway to serve by Accept-Encoding.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'gatehouse-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      // Only the hashed assets: the page is rewritten with each gateway's settings and compressed when it starts.
      for (const file of textFiles(join(outDir, 'assets'))) {
        const body = readFileSync(file);
        const gz = gzipSync(body, { level: 9 });
        const br = brotliCompressSync(body, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        });
        // A variant no smaller than the file is not kept: the gateway then sends the file as it is.
        if (gz.length < body.length) writeFileSync(`${file}.gz`, gz);
        if (br.length < body.length) writeFileSync(`${file}.br`, br);
      }
    },
  };
}

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...textFiles(path));
    else if (COMPRESSIBLE.has(extname(name))) out.push(path);
  }
  return out;
}
